// The read gate: every file a build reads or looks for goes through one
// Inputs object, which records it. That one list is the build's
// dependencies: what watch watches and what `check` compares the PDF's age
// with (as typst-cli's `world.dependencies()` feeds its watcher).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { isHardLink, isWithin, OutsideProjectError, realPath } from './containment.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { toolchainDir } from './toolchain-dir.js';

/**
 * A text file's bytes as text, whatever an editor saved: UTF-8 (a BOM
 * dropped), UTF-16 and UTF-32 with their BOM (some Windows editors write
 * those); invalid UTF-8 (Latin-1 bytes) read with U+FFFD and reported at its
 * line, column and byte offset; lone carriage returns (old Mac line ends) as
 * line ends, so lines are counted as the writer sees them.
 */
export function decodeText(bytes: Buffer): { text: string; problem?: Diagnostic } {
  let decoded: Decoded;
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) decoded = utf32(bytes.subarray(4), 'le');
  else if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) decoded = utf32(bytes.subarray(4), 'be');
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) decoded = utf16(bytes.subarray(2), 'le');
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoded = utf16(bytes.subarray(2), 'be');
  else decoded = utf8(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
  const { text, invalid } = decoded;
  let problem: Diagnostic | undefined;
  if (invalid) {
    // Lines as the reader counts them: a lone CR ends one too.
    const before = text.slice(0, invalid.at).split(/\r\n|\r|\n/);
    problem = diagnostic('encoding-invalid', invalid.message, { line: before.length, column: before[before.length - 1].length + 1 });
  }
  return { text: text.replace(/\r(?!\n)/g, '\n'), problem };
}

/** A decoded file, and where its first undecodable unit was put as U+FFFD (`at`: an index in `text`). */
interface Decoded {
  text: string;
  invalid?: { at: number; message: string };
}

function utf8(body: Buffer): Decoded {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    const offset = firstInvalidUtf8(body);
    const at = new TextDecoder('utf-8').decode(body.subarray(0, offset)).length;
    return {
      text: new TextDecoder('utf-8').decode(body),
      invalid: { at, message: `the file is not valid UTF-8 (byte ${offset}, 0x${body[offset].toString(16).padStart(2, '0')}; saved as Latin-1 or Windows-1252?): such bytes are read as �; save the file as UTF-8` },
    };
  }
}

/** UTF-16 as TextDecoder reads it; a lone surrogate (half of a pair, as a program that cut a string may write) or a last odd byte is reported. */
function utf16(body: Buffer, order: 'le' | 'be'): Decoded {
  const text = new TextDecoder(order === 'le' ? 'utf-16le' : 'utf-16be').decode(body);
  const units = Math.floor(body.length / 2);
  for (let i = 0; i < units; i++) {
    const unit = order === 'le' ? body.readUInt16LE(i * 2) : body.readUInt16BE(i * 2);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = i + 1 < units ? (order === 'le' ? body.readUInt16LE(i * 2 + 2) : body.readUInt16BE(i * 2 + 2)) : -1;
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    // One unit of text per unit of input up to here: the index is the unit's.
    return { text, invalid: { at: i, message: `the file has half of a UTF-16 surrogate pair (0x${unit.toString(16)}, byte ${2 + i * 2}): it is read as �; save the file as UTF-8` } };
  }
  if (body.length % 2) return { text, invalid: { at: units, message: 'the UTF-16 file ends in half a character (an odd number of bytes): it is read as �; save the file as UTF-8' } };
  return { text };
}

/** UTF-32, which TextDecoder does not read; a value past Unicode or a surrogate becomes U+FFFD and is reported. */
function utf32(bytes: Buffer, order: 'le' | 'be'): Decoded {
  const points: string[] = [];
  let invalid: Decoded['invalid'];
  let at = 0;
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const code = order === 'le' ? bytes.readUInt32LE(i) : bytes.readUInt32BE(i);
    const valid = code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    if (!valid && !invalid) invalid = { at, message: `the file has 0x${code.toString(16)} (byte ${4 + i}), which is no Unicode character: it is read as �; save the file as UTF-8` };
    const point = valid ? String.fromCodePoint(code) : '\ufffd';
    points.push(point);
    at += point.length;
  }
  return { text: points.join(''), invalid };
}

/** Where the first byte sequence that is not UTF-8 starts. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
    i += length;
  }
  return 0;
}

export class Inputs {
  private readonly recorded = new Set<string>();

  /**
   * `roots`: the folders reads may reach (the project and the toolchain);
   * none given, any (tools that read what the user named on the command line).
   */
  constructor(
    private readonly roots: readonly string[] = [],
    /** Texts an editor holds and has not saved (the language server), read instead of the files. */
    private readonly overlay: ReadonlyMap<string, string> = new Map(),
  ) {}

  /**
   * Whether a file may be read: inside the project (or the toolchain) after following links,
   * and, in the project, not a hard link (whose other name may be outside it).
   */
  allows(file: string): boolean {
    if (this.roots.length === 0) return true;
    // The roots' own links are followed once a run (a run is short: a link changed meanwhile is seen by the next).
    this.realRoots ??= { allowed: this.roots.map(realPath), toolchain: [realPath(toolchainDir)] };
    const real = realPath(file);
    if (!isWithin(real, this.realRoots.allowed)) return false;
    return isWithin(real, this.realRoots.toolchain) || !isHardLink(file);
  }

  private realRoots: { allowed: string[]; toolchain: string[] } | undefined;

  /** Every path recorded so far, files and folders, in the order first seen. */
  get files(): string[] {
    return [...this.recorded];
  }

  /** Notes a path the build depends on without reading it here (Typst reads the template). */
  record(file: string): void {
    this.recorded.add(file);
  }

  /** What reading found wrong with a file's encoding, for the build to report. */
  readonly problems: Diagnostic[] = [];

  readText(file: string): string {
    this.recorded.add(file);
    if (!this.allows(file)) throw new OutsideProjectError(file);
    const unsaved = this.overlay.get(file);
    if (unsaved !== undefined) return unsaved;
    const { text, problem } = decodeText(fs.readFileSync(file));
    if (problem && !this.problems.some((known) => known.file === file)) this.problems.push({ ...problem, file });
    return text;
  }

  /** The bytes of a file (an image for Pandoc), under the same rule. */
  readBytes(file: string): Buffer {
    this.recorded.add(file);
    if (!this.allows(file)) throw new OutsideProjectError(file);
    return fs.readFileSync(file);
  }

  /**
   * Whether a file exists (a folder is no file: `![x]()` names the chapter's
   * folder, which Typst cannot load as an image); recorded (watch notices it
   * appear) only inside the project: nothing outside is watched or listed as read.
   */
  exists(file: string): boolean {
    if (this.allows(file)) this.recorded.add(file);
    if (this.overlay.has(file) && this.allows(file)) return true;
    try {
      return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
    } catch {
      // A name no file can have (a NUL byte in it, from a hostile thesis.yaml): no such file.
      return false;
    }
  }

  /** What a file's content is known by for caching: its unsaved text's hash, else its size and time. */
  stamp(file: string): string {
    const unsaved = this.overlay.get(file);
    if (unsaved !== undefined) return `unsaved:${crypto.createHash('sha256').update(unsaved).digest('hex')}`;
    try {
      const stat = fs.statSync(file);
      return `${stat.size}:${stat.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  /** The entries of a folder; the folder is recorded, so a file added to it is noticed. */
  list(dir: string): fs.Dirent[] {
    this.recorded.add(dir);
    return fs.readdirSync(dir, { withFileTypes: true });
  }
}
