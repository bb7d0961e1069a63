// What builds keep in dist/.cache between runs, one way for every cache:
// a JSON file holding a key and a value. The key comes from `cacheKey`, which
// always includes the code that made the value and the installed packages
// (package-lock.json), so an upgraded toolchain never reads a stale value.
// A cache file that is missing, damaged or from another key reads as nothing;
// a cache that cannot be written costs time, never a build.
//
// A cache is never trusted because of where it is: dist/.cache may come with
// a thesis someone else sent (an archive, a shared folder), and what is in it
// is used as the build's own work. Each file is sealed with a keyed hash
// (HMAC-SHA-256) whose key only this user has (cacheSecret); a file the user's
// own builds did not write, or that was changed after, reads as nothing and is
// rebuilt, never used.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

let secret: Buffer | undefined;

/**
 * The user's key for sealing caches: 32 random bytes in the user's cache folder
 * ($XDG_CACHE_HOME or ~/.cache, thesis-toolchain/cache-secret, readable by the
 * user alone), made on first use. Where it cannot be kept, a key for this
 * process only: caches then last one run, which costs time, never trust.
 */
export function cacheSecret(env: Record<string, string | undefined> = process.env): Buffer {
  if (secret) return secret;
  const dir = path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'thesis-toolchain');
  const file = path.join(dir, 'cache-secret');
  try {
    const known = fs.readFileSync(file);
    if (known.length >= 32) return (secret = known);
  } catch {
    // Not made yet.
  }
  const made = crypto.randomBytes(32);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, made, { flag: 'wx', mode: 0o600 });
    return (secret = made);
  } catch {
    // Another process made it first (read it), or the folder cannot be written (a key of our own).
    try {
      const known = fs.readFileSync(file);
      if (known.length >= 32) return (secret = known);
    } catch {
      // No key file at all.
    }
    return (secret = made);
  }
}

function seal(key: string, value: string): string {
  return crypto.createHmac('sha256', cacheSecret()).update(key).update('\0').update(value).digest('hex');
}

export class DiskCache<T, Stored = T> {
  constructor(
    readonly file: string,
    private readonly codec?: CacheCodec<T, Stored>,
  ) {}

  read(key: string): T | null {
    try {
      // `{"key":…,"seal":"…","value":…}` as write() lays it out: the seal covers the value's text as written.
      const text = fs.readFileSync(this.file, 'utf8');
      const head = /^\{"key":("(?:[^"\\]|\\.)*"),"seal":"([0-9a-f]{64})","value":/.exec(text);
      if (!head || JSON.parse(head[1]) !== key || !text.endsWith('}')) return null;
      const valueText = text.slice(head[0].length, -1);
      // Written by this user's builds and unchanged since, or not used at all.
      if (!crypto.timingSafeEqual(Buffer.from(head[2]), Buffer.from(seal(key, valueText)))) return null;
      const cached = { value: JSON.parse(valueText) as Stored };
      return this.codec ? this.codec.load(cached.value) : (cached.value as unknown as T);
    } catch {
      return null;
    }
  }

  write(key: string, value: T): void {
    try {
      const stored = JSON.stringify(this.codec ? this.codec.store(value) : value);
      writeFileAtomic(this.file, `{"key":${JSON.stringify(key)},"seal":"${seal(key, stored)}","value":${stored}}`);
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
