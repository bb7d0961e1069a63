// Runs the CLI as a user would (the bundle npm scripts start), in a child process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoDir } from './project.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `withoutNoColor` runs it as a plain pipe would, NO_COLOR unset. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string; withoutNoColor?: boolean } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', INIT_CWD: options.cwd ?? repoDir, ...options.env };
  if (options.withoutNoColor) delete env.NO_COLOR;
  const result = spawnSync(process.execPath, [path.join(repoDir, 'compiled', 'scripts', 'cli.bundle.js'), ...args], {
    cwd: options.cwd ?? repoDir,
    env,
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
