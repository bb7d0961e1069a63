// The project folder is the only place a build reads from (and the
// toolchain's own folder, for its templates, styles and locales): a path in
// thesis.yaml or a chapter that leads elsewhere — absolute, up with `..`, or
// through a symbolic link — is refused, so a thesis someone else wrote cannot
// read the machine's files into its PDF.
import fs from 'node:fs';
import path from 'node:path';

/** The path with every symbolic link followed, as far as it exists (the rest as written). */
export function realPath(file: string): string {
  const resolved = path.resolve(file);
  try {
    return fs.realpathSync(resolved);
  } catch {
    const parent = path.dirname(resolved);
    return parent === resolved ? resolved : path.join(realPath(parent), path.basename(resolved));
  }
}

/** Whether a file is, after following links, inside one of the folders. */
export function isInside(file: string, roots: readonly string[]): boolean {
  const real = realPath(file);
  return roots.some((root) => {
    const base = realPath(root);
    return real === base || real.startsWith(base + path.sep);
  });
}

/**
 * Whether a file is a hard link: one file under two or more names. Its other
 * name may be outside the project, so its content may be a file the thesis
 * could not read by that name; a thesis's files are never hard links.
 */
export function isHardLink(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    return stat.isFile() && stat.nlink > 1;
  } catch {
    return false;
  }
}

/** The error a read outside the project raises (the read gate's backstop; call sites report it at its line). */
export class OutsideProjectError extends Error {
  readonly code = 'EOUTSIDE';
  constructor(readonly file: string) {
    super(`${file} is outside the project folder`);
  }
}
