// The command line in two ways: in-process (`runCli`: the same argument
// parsing and commands, without a Node start-up per call) for tests about
// what a command does, and in a child process (`spawnCli`: the bundle npm
// scripts start) for tests about the process itself: exit codes seen by the
// shell, colour on a pipe, signals.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { runCommandLine } from '../../scripts/commands/program.js';
import { repoDir } from './project.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
}

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const status = await runCommandLine(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd: options.cwd ?? repoDir,
    env: { NO_COLOR: '1', ...options.env },
    readStdin: async () => options.input ?? '',
    startedAt: performance.now(),
  });
  return { status, stdout, stderr };
}

/** `withoutNoColor` runs it as a plain pipe would, NO_COLOR unset. */
export function spawnCli(args: string[], options: CliOptions & { withoutNoColor?: boolean } = {}): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', INIT_CWD: options.cwd ?? repoDir, ...options.env };
  if (options.withoutNoColor) delete env.NO_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoDir, 'compiled', 'scripts', 'cli.bundle.js'), ...args], { cwd: options.cwd ?? repoDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
