// Fixture thesis folders copied to a temporary directory, so tests can edit
// and break them without touching the repository.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.join(repoDir, 'tests', 'fixtures');

const madeFolders: string[] = [];

/** A new empty folder, removed when the test file ends (see setup.ts). */
export function tempDir(prefix = 'thesis-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeFolders.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of madeFolders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A copy of a fixture project (or of this repository's thesis when name is 'repo'). */
export function copyProject(name: string): string {
  const dir = tempDir();
  if (name === 'repo') {
    for (const part of ['thesis', 'bibliography', 'templates']) fs.cpSync(path.join(repoDir, part), path.join(dir, part), { recursive: true });
  } else {
    fs.cpSync(path.join(fixturesDir, name), dir, { recursive: true });
  }
  return dir;
}

export function write(dir: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

export function edit(dir: string, file: string, change: (text: string) => string): void {
  const full = path.join(dir, file);
  fs.writeFileSync(full, change(fs.readFileSync(full, 'utf8')));
}
