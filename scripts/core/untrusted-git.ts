// git on a repository someone else wrote. A repository's own configuration
// can name programs git runs: core.fsmonitor on any command that looks at the
// working tree, filter drivers (`filter.x.clean`, chosen by .gitattributes),
// diff drivers and text conversion, pagers, hooks. git's documentation warns
// against running git in a repository from an archive for this reason.
//
// So the repository's configuration is never read: git runs on a shadow git
// folder made for the one command, which holds a copy of the repository's
// refs, HEAD, index and shallow list, borrows its objects read-only through
// `objects/info/alternates`, and has a configuration of two lines. The user's
// own (global) and the system's configuration still apply: they are the
// user's, not the repository's. Hooks, pagers, external diff and text
// conversion are off besides. A repository owned by another user is refused
// unless the user listed it in `safe.directory`, as git itself would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GitResult {
  ok: boolean;
  stdout: Buffer;
  /** Why it failed: git's first words, or that git is missing. */
  error?: string;
}

interface Repository {
  /** The working tree's top folder. */
  top: string;
  /** The repository's own folder (a worktree's, for HEAD and the index). */
  gitDir: string;
  /** Where objects and refs are (the main repository's folder for a linked worktree). */
  commonDir: string;
}

/** The repository a folder is in, found as git finds it (a `.git` folder, or a `.git` file naming one). */
function findRepository(start: string): Repository | null {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      // Not here: one folder up.
    }
    if (stat?.isDirectory()) return { top: dir, gitDir: dotGit, commonDir: dotGit };
    if (stat?.isFile()) {
      const named = /^gitdir:\s*(.+)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1];
      if (named) {
        const gitDir = path.resolve(dir, named);
        let commonDir = gitDir;
        try {
          commonDir = path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
        } catch {
          // No commondir: a submodule's own repository.
        }
        return { top: dir, gitDir, commonDir };
      }
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/** Plain git with the user's settings only, for questions about the user's configuration. */
function userGit(args: string[]): string {
  const result = spawnSync('git', args, { cwd: os.homedir(), encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '0' } });
  return result.status === 0 ? result.stdout : '';
}

/** Whether git would work on a repository owned by another user: only when the user listed it in safe.directory. */
function ownershipRefusal(repository: Repository): string | null {
  if (typeof process.getuid !== 'function') return null;
  const owner = fs.statSync(repository.gitDir).uid;
  if (owner === process.getuid() || process.getuid() === 0) return null;
  const listed = userGit(['config', '--global', '--get-all', 'safe.directory']).split('\n').map((line) => line.trim());
  if (listed.includes('*') || listed.includes(repository.top)) return null;
  return `the repository ${repository.top} belongs to another user, and git works on it only when you trust it: git config --global --add safe.directory ${repository.top}`;
}

function copyTree(from: string, to: string): void {
  if (fs.existsSync(from)) fs.cpSync(from, to, { recursive: true, dereference: false, verbatimSymlinks: true });
}

/** The shadow git folder: the repository's refs and index, its objects borrowed, no configuration of its own. */
function shadowOf(repository: Repository): string {
  const shadow = fs.mkdtempSync(path.join(os.tmpdir(), 'thesis-git-'));
  fs.mkdirSync(path.join(shadow, 'objects', 'info'), { recursive: true });
  fs.writeFileSync(path.join(shadow, 'objects', 'info', 'alternates'), `${path.join(repository.commonDir, 'objects')}\n`);
  // The object format is the one setting that must match the objects; nothing else is taken.
  let format = '';
  try {
    format = /^\s*objectformat\s*=\s*(sha1|sha256)\s*$/im.exec(fs.readFileSync(path.join(repository.commonDir, 'config'), 'utf8'))?.[1] ?? '';
  } catch {
    // No configuration: SHA-1, git's default.
  }
  fs.writeFileSync(path.join(shadow, 'config'), format ? `[core]\n\trepositoryformatversion = 1\n[extensions]\n\tobjectformat = ${format}\n` : '[core]\n\trepositoryformatversion = 0\n');
  copyTree(path.join(repository.commonDir, 'refs'), path.join(shadow, 'refs'));
  fs.mkdirSync(path.join(shadow, 'refs'), { recursive: true });
  for (const [file, from] of [['packed-refs', repository.commonDir], ['shallow', repository.commonDir], ['HEAD', repository.gitDir], ['index', repository.gitDir]] as const) {
    if (fs.existsSync(path.join(from, file))) fs.copyFileSync(path.join(from, file), path.join(shadow, file));
  }
  return shadow;
}

/** An empty folder for core.hooksPath: no hook can run. */
let noHooks: string | undefined;

/**
 * Runs `git args` in `cwd`'s repository with none of the repository's own
 * configuration and no program of its choosing. Answers as git would for a
 * folder in no repository ("not a git repository").
 */
export function untrustedGit(cwd: string, args: string[], input?: string): GitResult {
  const repository = findRepository(cwd);
  if (!repository) return { ok: false, stdout: Buffer.alloc(0), error: 'fatal: not a git repository (or any of the parent directories): .git' };
  const refused = ownershipRefusal(repository);
  if (refused) return { ok: false, stdout: Buffer.alloc(0), error: refused };
  noHooks ??= fs.mkdtempSync(path.join(os.tmpdir(), 'thesis-no-hooks-'));
  let shadow: string;
  try {
    shadow = shadowOf(repository);
  } catch (error) {
    return { ok: false, stdout: Buffer.alloc(0), error: `the repository cannot be read: ${(error as Error).message}` };
  }
  try {
    const safety = ['-c', 'core.fsmonitor=false', '-c', `core.hooksPath=${noHooks}`, '-c', 'core.pager=cat', '-c', 'log.showSignature=false', '--no-pager'];
    // Diffs and logs never call an external diff program or a text conversion.
    const [command, ...rest] = args;
    const noDrivers = command === 'diff' || command === 'log' || command === 'show' ? ['--no-ext-diff', '--no-textconv'] : [];
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_DIR: shadow, GIT_WORK_TREE: repository.top, GIT_PAGER: 'cat', PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
    delete env.GIT_EXTERNAL_DIFF;
    delete env.GIT_CONFIG_PARAMETERS;
    delete env.GIT_CONFIG_COUNT;
    const result = spawnSync('git', [...safety, command, ...noDrivers, ...rest], { cwd, input, env, maxBuffer: 1 << 30 });
    if (result.error) return { ok: false, stdout: Buffer.alloc(0), error: (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'git is not installed' : result.error.message };
    return { ok: result.status === 0, stdout: result.stdout, error: result.stderr?.toString().trim() };
  } finally {
    fs.rmSync(shadow, { recursive: true, force: true });
  }
}
