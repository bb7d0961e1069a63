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
    // The system's realpath: one call, where Node's own walks the path and asks about each of its parts (a
    // build asks about every file it reads, and about the roots each time: 1–2 ms of a save's 5 ms read step).
    return fs.realpathSync.native(resolved);
  } catch {
    const parent = path.dirname(resolved);
    return parent === resolved ? resolved : path.join(realPath(parent), path.basename(resolved));
  }
}

/** Whether a file is, after following links, inside one of the folders. */
export function isInside(file: string, roots: readonly string[]): boolean {
  return isWithin(realPath(file), roots.map(realPath));
}

/** Whether a path with its links followed (realPath) is one of the folders, or inside one, also followed. */
export function isWithin(real: string, realRoots: readonly string[]): boolean {
  return realRoots.some((base) => real === base || real.startsWith(base + path.sep));
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
