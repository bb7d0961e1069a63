// One writer at a time per thesis folder. `refs add`, `refs rename`, a build
// and an editor's "add this reference" each read files, change them and write
// them back; run at the same time they lost entries (3 of 8 added entries
// gone in a test of 8 rounds). A command that writes holds dist/.lock while it
// does: a second one waits for it (up to two minutes), then stops with a
// message naming the first. A lock left by a process that no longer runs is
// taken over. Within one process the lock is re-entrant (a refs command's
// build does not wait for the refs command).
import fs from 'node:fs';
import path from 'node:path';
import { ProjectLayout } from './layout.js';
import { processAlive } from './write-atomic.js';

/** How long a command waits for another to finish writing the project. */
const WAIT_MS = 120_000;
const POLL_MS = 50;

const held = new Map<string, number>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export class ProjectBusyError extends Error {
  constructor(readonly holder: string) {
    super(`another thesis command is writing this project (${holder}); run this one again when it has finished`);
  }
}

function lockFile(projectDir: string): string {
  return path.join(projectDir, 'dist', '.lock');
}

/** Takes the lock or returns who holds it. */
function tryTake(file: string, what: string): string | null {
  try {
    // dist/ inside the project, never the project itself.
    if (!fs.existsSync(path.dirname(file))) fs.mkdirSync(path.dirname(file));
    const fd = fs.openSync(file, 'wx');
    fs.writeSync(fd, JSON.stringify({ pid: process.pid, what, since: new Date().toISOString() }));
    fs.closeSync(fd);
    return null;
  } catch (error) {
    // A dist/ that cannot be written (read-only, full): no lock can be kept there, and the
    // command's own writes fail with a message at their file; the lock is not what stops it.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return null;
  }
  let holder: { pid?: number; what?: string; since?: string } = {};
  try {
    holder = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof holder;
  } catch {
    // Being written this instant, or damaged: judged by its age below.
  }
  const stale = typeof holder.pid === 'number' ? !processAlive(holder.pid) : Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 10_000;
  if (stale) {
    fs.rmSync(file, { force: true });
    return tryTake(file, what);
  }
  return `${holder.what ?? 'a command'}, process ${holder.pid ?? '?'}, since ${holder.since ?? '?'}`;
}

/** dist/ is a link out of the project (layout.ts): no lock is written through it, and nothing else is. */
export class OutputRefusedError extends Error {}

function acquire(projectDir: string, what: string): void {
  // No folder, nothing to protect: the command reports the missing folder itself (and no dist/ is made for it).
  if (!fs.statSync(projectDir, { throwIfNoEntry: false })?.isDirectory()) {
    held.set(lockFile(projectDir), (held.get(lockFile(projectDir)) ?? 0) + 1);
    return;
  }
  const refused = new ProjectLayout(projectDir).outputRefusal();
  if (refused) throw new OutputRefusedError(refused);
  const file = lockFile(projectDir);
  const count = held.get(file) ?? 0;
  if (count > 0) {
    held.set(file, count + 1);
    return;
  }
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const holder = tryTake(file, what);
    if (holder === null) break;
    if (Date.now() > deadline) throw new ProjectBusyError(holder);
    Atomics.wait(sleeper, 0, 0, POLL_MS);
  }
  held.set(file, 1);
}

function release(projectDir: string): void {
  const file = lockFile(projectDir);
  const count = held.get(file) ?? 0;
  if (count > 1) {
    held.set(file, count - 1);
    return;
  }
  held.delete(file);
  if (fs.existsSync(path.dirname(file))) fs.rmSync(file, { force: true });
}

/** Runs `work` holding the project's lock (`what` names the command for whoever waits). */
export function withProjectLock<T>(projectDir: string, what: string, work: () => T): T {
  acquire(projectDir, what);
  try {
    return work();
  } finally {
    release(projectDir);
  }
}

/** The same for work that awaits (a lookup over the network while the bibliography is being changed). */
export async function withProjectLockAsync<T>(projectDir: string, what: string, work: () => Promise<T>): Promise<T> {
  acquire(projectDir, what);
  try {
    return await work();
  } finally {
    release(projectDir);
  }
}

// A lock is never left behind by a command that ends normally or by Ctrl-C.
process.once('exit', () => {
  for (const file of held.keys()) fs.rmSync(file, { force: true });
});
