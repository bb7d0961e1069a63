// Folders outside the thesis that the *user* lets a build read: where Zotero
// keeps its Better BibTeX export (`~/Zotero/My Library.bib`), a shared
// figures folder. Only the user can allow them, in three places a thesis
// folder cannot write: `--allow <dir>` on the command line, `THESIS_ALLOW` in
// the environment (folders separated as in PATH), and `allow:` in the user's
// own configuration file ($XDG_CONFIG_HOME/thesis/config.yaml, by default
// ~/.config/thesis/config.yaml). Nothing in thesis.yaml can widen what a
// build reads, so building someone else's thesis still cannot read the
// machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export interface AllowedFolders {
  folders: string[];
  /** Problems reading the user's configuration file: said, never fatal. */
  problems: string[];
}

/** `~/x` as the user's home; other paths resolved from `cwd`. */
export function expandHome(file: string, cwd: string): string {
  if (file === '~' || file.startsWith('~/') || file.startsWith(`~${path.sep}`)) return path.join(os.homedir(), file.slice(1));
  return path.resolve(cwd, file);
}

/** The user's configuration file for the toolchain. */
export function userConfigFile(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(base, 'thesis', 'config.yaml');
}

export function allowedFolders(fromCommandLine: readonly string[], env: Record<string, string | undefined>, cwd: string): AllowedFolders {
  const folders = fromCommandLine.map((dir) => expandHome(dir, cwd));
  for (const dir of (env.THESIS_ALLOW ?? '').split(path.delimiter).filter(Boolean)) folders.push(expandHome(dir, cwd));
  const problems: string[] = [];
  const file = userConfigFile(env);
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // No configuration file: nothing allowed from there.
  }
  if (text !== null) {
    try {
      const config = parse(text) as { allow?: unknown } | null;
      const allow = config?.allow;
      const list = typeof allow === 'string' ? [allow] : Array.isArray(allow) ? allow : allow === undefined ? [] : null;
      if (list === null || list.some((dir) => typeof dir !== 'string')) problems.push(`${file}: \`allow\` is a folder or a list of folders`);
      else for (const dir of list as string[]) folders.push(expandHome(dir, path.dirname(file)));
    } catch (error) {
      problems.push(`${file}: not valid YAML (${(error as Error).message.split('\n')[0]})`);
    }
  }
  return { folders: [...new Set(folders)], problems };
}
