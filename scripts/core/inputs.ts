// The read gate: every file a build reads or looks for goes through one
// Inputs object, which records it. That one list is the build's
// dependencies: what watch watches and what `check` compares the PDF's age
// with (as typst-cli's `world.dependencies()` feeds its watcher).
import fs from 'node:fs';
import { isInside, OutsideProjectError } from './containment.js';

export class Inputs {
  private readonly recorded = new Set<string>();

  /**
   * `roots`: the folders reads may reach (the project and the toolchain);
   * none given, any (tools that read what the user named on the command line).
   */
  constructor(private readonly roots: readonly string[] = []) {}

  /** Whether a file may be read: inside the project (or the toolchain) after following links. */
  allows(file: string): boolean {
    return this.roots.length === 0 || isInside(file, this.roots);
  }

  /** Every path recorded so far, files and folders, in the order first seen. */
  get files(): string[] {
    return [...this.recorded];
  }

  /** Notes a path the build depends on without reading it here (Typst reads the template). */
  record(file: string): void {
    this.recorded.add(file);
  }

  readText(file: string): string {
    this.recorded.add(file);
    if (!this.allows(file)) throw new OutsideProjectError(file);
    return fs.readFileSync(file, 'utf8');
  }

  /** The bytes of a file (an image for Pandoc), under the same rule. */
  readBytes(file: string): Buffer {
    this.recorded.add(file);
    if (!this.allows(file)) throw new OutsideProjectError(file);
    return fs.readFileSync(file);
  }

  exists(file: string): boolean {
    this.recorded.add(file);
    return fs.existsSync(file);
  }

  /** The entries of a folder; the folder is recorded, so a file added to it is noticed. */
  list(dir: string): fs.Dirent[] {
    this.recorded.add(dir);
    return fs.readdirSync(dir, { withFileTypes: true });
  }
}
