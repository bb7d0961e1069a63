// Which thesis a command works on when none is named: the nearest folder,
// from where the user stands upward, that holds a thesis (`thesis/thesis.yaml`,
// or Markdown files in `thesis/`), as git finds its repository from any
// subfolder. Inside this repository that is its own sample thesis; in a
// student's repository, theirs; anywhere else, none, and the command says so
// instead of working on a thesis the user did not name.
import fs from 'node:fs';
import path from 'node:path';

function holdsThesis(dir: string): boolean {
  const thesisDir = path.join(dir, 'thesis');
  try {
    if (fs.statSync(path.join(thesisDir, 'thesis.yaml')).isFile()) return true;
  } catch {
    // no thesis.yaml: chapters alone also make a thesis
  }
  try {
    return fs.readdirSync(thesisDir).some((name) => name.endsWith('.md'));
  } catch {
    return false;
  }
}

/** The nearest folder at or above `start` that holds a thesis, or null. */
export function findThesisFolder(start: string): string | null {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (holdsThesis(dir)) return dir;
    // Standing inside thesis/ itself counts as standing in its project.
    if (path.basename(dir) === 'thesis' && holdsThesis(path.dirname(dir))) return path.dirname(dir);
    if (path.dirname(dir) === dir) return null;
  }
}
