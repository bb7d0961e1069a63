// Outputs are written to a temporary file beside the target and renamed over
// it, so a reader (a PDF viewer, CI) never sees half a file and a failed
// build leaves the previous output in place.
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** A temporary file of `writeFileAtomic`: `.<name>.<pid>.<random>.tmp`. */
const TEMPORARY = /^\..+\.(\d+)\.[a-z0-9]+\.tmp$/;

/** Whether a process runs (one of another user counts: it cannot be signalled, but it is there). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files a killed process left in a folder (its write
 * never reached the rename): those of processes no longer running. Builds
 * and the reference manager call it on the folders they write to, so killed
 * runs do not pile them up.
 */
export function removeStaleTemporaries(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMPORARY.exec(name);
    if (match && Number(match[1]) !== process.pid && !processAlive(Number(match[1]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}
