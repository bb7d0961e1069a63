// What Typst may read. The compiler's root is a private, empty folder made
// for this process, never the project: Typst finds a file only when this
// module has mapped it in (the compiler's shadow files) under the same path
// relative to the root as it has in the project. So `read`, `image`,
// `json`, `csv`, `yaml`, `xml`, `include` and `plugin` in raw Typst reach
// nothing but what the gate below lets through, whatever links, hard links or
// renamed fences a thesis holds: there is nothing else on Typst's disk.
//
// Files come in two ways: the files the build already read through its own
// gate (chapters, images, the template) are handed over before compiling,
// and a file Typst asks for that is not there ("file not found (searched at
// …)") is looked at by `admit` and mapped in for the next attempt.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isInside } from '../core/containment.js';

/** A file larger than this is not handed to Typst (a thesis's figure or data file is far smaller). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** Folders of the project Typst never gets a file from: outputs and caches, git's, installed packages. */
const CLOSED_FOLDERS = new Set(['dist', '.git', 'node_modules']);

/** `thesis-typst-root-<pid>-<random>`: the process that made it is in the name. */
const ROOT_PREFIX = 'thesis-typst-root-';

/** Empty roots left by compiler processes that were killed (no exit handler ran). */
function removeRootsOfEndedProcesses(): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(new RegExp(`^${ROOT_PREFIX}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
}

interface Shadows {
  mapShadow(file: string, content: Buffer): void;
  unmapShadow(file: string): void;
}

/** Why a project file is not handed to Typst, or null when it may be. */
export function refusal(projectDir: string, file: string): string | null {
  const relative = path.relative(projectDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return 'it is outside the project folder';
  const first = relative.split(path.sep)[0];
  if (CLOSED_FOLDERS.has(first)) return `nothing in ${first}/ is given to Typst`;
  if (!isInside(file, [projectDir])) return 'a symbolic link leads from it out of the project folder';
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return 'there is no such file in the project';
  }
  if (!stat.isFile()) return 'it is not a file';
  // A hard link is the same file under two names; its other name may be outside the project.
  if (stat.nlink > 1) return 'it is a hard link (the same file may be outside the project under another name)';
  if (stat.size > MAX_FILE_BYTES) return `it is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`;
  return null;
}

export class TypstWorld {
  /** The compiler's root: a folder of its own, empty, removed when the process ends. */
  readonly root: string;
  /** Project files mapped in, with the size and time they had then. */
  private readonly mapped = new Map<string, { size: number; mtimeMs: number }>();
  /** Files asked for and refused, with the reason, for the diagnostics. */
  readonly refused = new Map<string, string>();

  constructor(
    readonly projectDir: string,
    private readonly shadows: Shadows,
  ) {
    removeRootsOfEndedProcesses();
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `${ROOT_PREFIX}${process.pid}-`));
    process.once('exit', () => fs.rmSync(this.root, { recursive: true, force: true }));
  }

  /** Where a project path is in Typst's world. */
  virtual(projectFile: string): string {
    return path.join(this.root, path.relative(this.projectDir, projectFile));
  }

  /** The project path of a path in Typst's world, or null for one outside it. */
  project(virtualFile: string): string | null {
    const relative = path.relative(this.root, virtualFile);
    return relative.startsWith('..') || path.isAbsolute(relative) ? null : path.join(this.projectDir, relative);
  }

  /** Maps in the files the build has read through its own gate (and again, when they changed on disk). */
  hand(files: readonly string[]): void {
    for (const file of files) if (!this.mapped.has(file) && refusal(this.projectDir, file) === null) this.mapIn(file);
    // What was handed before follows the disk: a figure saved again is the new figure.
    for (const [file, seen] of this.mapped) {
      let stat: fs.Stats | null = null;
      try {
        stat = fs.statSync(file);
      } catch {
        // Gone: Typst no longer finds it either.
      }
      if (!stat) {
        this.shadows.unmapShadow(this.virtual(file));
        this.mapped.delete(file);
      } else if (stat.size !== seen.size || stat.mtimeMs !== seen.mtimeMs) this.mapIn(file);
    }
  }

  /**
   * A file Typst did not find, by the path it searched: mapped in when the gate lets it
   * through (true: compile again), else remembered with the reason (false).
   */
  admit(searched: string): boolean {
    const file = this.project(searched);
    if (!file) return false;
    if (this.mapped.has(file)) return false;
    const why = refusal(this.projectDir, file);
    if (why) {
      this.refused.set(file, why);
      return false;
    }
    return this.mapIn(file);
  }

  private mapIn(file: string): boolean {
    try {
      // Read by descriptor and checked again: the file cannot be swapped for a link between check and read.
      const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
      try {
        const stat = fs.fstatSync(fd);
        if (!stat.isFile() || stat.nlink > 1 || stat.size > MAX_FILE_BYTES) return false;
        this.shadows.mapShadow(this.virtual(file), fs.readFileSync(fd));
        this.mapped.set(file, { size: stat.size, mtimeMs: stat.mtimeMs });
        return true;
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return false;
    }
  }
}
