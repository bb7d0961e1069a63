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

/** The error a read outside the project raises (the read gate's backstop; call sites report it at its line). */
export class OutsideProjectError extends Error {
  readonly code = 'EOUTSIDE';
  constructor(readonly file: string) {
    super(`${file} is outside the project folder`);
  }
}

/** Folders a thesis's own files are not in. */
const skipped = new Set(['node_modules', '.git', 'dist']);

/**
 * The symbolic links in the project that lead out of it (at most `limit`).
 * Typst follows links when raw Typst reads a file, so a thesis with raw
 * Typst and such a link does not get its raw Typst run.
 */
export function linksOutOf(root: string, limit = 20): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 12 || found.length >= limit) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (skipped.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        if (!isInside(full, [root])) found.push(full);
      } else if (entry.isDirectory()) walk(full, depth + 1);
      if (found.length >= limit) return;
    }
  };
  walk(root, 0);
  return found;
}
