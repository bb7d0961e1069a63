// A hash of the toolchain's own code in some folders, so a disk cache made
// by another version of the toolchain is never used.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { codeDir } from './toolchain-dir.js';

const hashes = new Map<string, string>();

/** Folders relative to scripts/ (or compiled/scripts/), e.g. ['format', 'render']. */
export function codeHash(folders: string[]): string {
  const id = folders.join(',');
  let hash = hashes.get(id);
  if (!hash) {
    const digest = crypto.createHash('sha256');
    for (const folder of folders) {
      const dir = path.join(codeDir, folder);
      for (const file of fs.readdirSync(dir).sort()) if (/\.(js|ts)$/.test(file)) digest.update(fs.readFileSync(path.join(dir, file)));
    }
    hash = digest.digest('hex');
    hashes.set(id, hash);
  }
  return hash;
}
