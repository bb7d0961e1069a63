// Which language server to start for a workspace folder. Kept apart from the
// extension (no `vscode` import) so the toolchain's tests can run it.
import path from 'node:path';

export interface ServerCommand {
  command: string;
  args: string[];
}

/**
 * The server for a folder: the command the user set, else the toolchain the
 * thesis repository installed (`npm install thesis-toolchain`; its bundle
 * runs on the editor's own Node), else `thesis` on the PATH.
 */
export function serverCommand(folder: string | undefined, setting: readonly string[], exists: (file: string) => boolean, nodePath: string): ServerCommand {
  if (setting.length > 0) return { command: setting[0], args: setting.slice(1) };
  for (let dir = folder; dir; dir = path.dirname(dir) === dir ? undefined : path.dirname(dir)) {
    const bundle = path.join(dir, 'node_modules', 'thesis-toolchain', 'compiled', 'scripts', 'cli.bundle.js');
    if (exists(bundle)) return { command: nodePath, args: [bundle, 'lsp', '--stdio'] };
    // The toolchain's own repository (its sample thesis).
    const own = path.join(dir, 'compiled', 'scripts', 'cli.bundle.js');
    if (exists(own) && exists(path.join(dir, 'scripts', 'lsp', 'server.ts'))) return { command: nodePath, args: [own, 'lsp', '--stdio'] };
  }
  return { command: process.platform === 'win32' ? 'thesis.cmd' : 'thesis', args: ['lsp', '--stdio'] };
}
