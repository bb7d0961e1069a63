// What builds keep in dist/.cache between runs, one way for every cache:
// a JSON file holding a key and a value. The key comes from `cacheKey`, which
// always includes the code that made the value and the installed packages
// (package-lock.json), so an upgraded toolchain never reads a stale value.
// A cache file that is missing, damaged or from another key reads as nothing;
// a cache that cannot be written costs time, never a build.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { codeHash } from './code-hash.js';
import { toolchainLayout } from './layout.js';
import { writeFileAtomic } from './write-atomic.js';

let lockHash: string | undefined;

function installedPackages(): string {
  if (lockHash === undefined) {
    let lock = '';
    try {
      lock = fs.readFileSync(toolchainLayout.lockFile, 'utf8');
    } catch {
      // No lock file: packages cannot be told apart, the code still can.
    }
    lockHash = sha256(lock);
  }
  return lockHash;
}

export function sha256(text: string | Uint8Array): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * The key of a cached value: the code in `codeFolders` (relative to scripts/)
 * that computes it, the installed packages, and whatever else decides it.
 */
export function cacheKey(codeFolders: string[], ...decidedBy: unknown[]): string {
  const hash = crypto.createHash('sha256');
  hash.update(codeHash(codeFolders));
  hash.update(installedPackages());
  for (const part of decidedBy) hash.update(typeof part === 'string' ? part : JSON.stringify(part)).update('\0');
  return hash.digest('hex');
}

/** How a value becomes JSON and back (for values holding Maps). */
export interface CacheCodec<T, Stored> {
  store(value: T): Stored;
  load(stored: Stored): T;
}

export class DiskCache<T, Stored = T> {
  constructor(
    readonly file: string,
    private readonly codec?: CacheCodec<T, Stored>,
  ) {}

  read(key: string): T | null {
    try {
      const cached = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { key: string; value: Stored };
      if (cached.key !== key) return null;
      return this.codec ? this.codec.load(cached.value) : (cached.value as unknown as T);
    } catch {
      return null;
    }
  }

  write(key: string, value: T): void {
    try {
      writeFileAtomic(this.file, JSON.stringify({ key, value: this.codec ? this.codec.store(value) : value }));
    } catch {
      // Only a cache: a read-only dist/ costs time, nothing else.
    }
  }

  /** When the cache file was last written (ms), or null when there is none. */
  writtenAt(): number | null {
    try {
      return fs.statSync(this.file).mtimeMs;
    } catch {
      return null;
    }
  }
}
