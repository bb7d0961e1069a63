// The read gate: every file a build reads or looks for goes through one
// Inputs object, which records it. That one list is the build's
// dependencies: what watch watches and what `check` compares the PDF's age
// with (as typst-cli's `world.dependencies()` feeds its watcher).
import fs from 'node:fs';

export class Inputs {
  private readonly recorded = new Set<string>();

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
    return fs.readFileSync(file, 'utf8');
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
