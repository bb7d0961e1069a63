// The one place that knows how a thesis folder is laid out. Every other
// module asks it for a path instead of joining folder names by hand.
//
//   thesis/         thesis.yaml and the chapters
//   bibliography/   .bib and CSL-JSON files
//   templates/      the project's own Typst templates (optional) and CSL files
//   dist/           outputs: thesis.pdf, progress.html, progress.json, thesis.typ
//   dist/.cache/    what builds keep between runs
import { expandHome } from './allowed-folders.js';
import fs from 'node:fs';
import path from 'node:path';
import { toolchainDir } from './toolchain-dir.js';

export class ProjectLayout {
  readonly thesisDir: string;
  readonly configFile: string;
  readonly bibliographyDir: string;
  readonly templatesDir: string;
  readonly distDir: string;
  readonly cacheDir: string;
  readonly pdfFile: string;
  readonly typstFile: string;
  readonly progressJsonFile: string;
  readonly progressHtmlFile: string;
  /**
   * Where Typst believes the generated main file lives. It exists only in
   * memory, but inside the project, so the paths it names resolve there.
   */
  readonly mainTypstFile: string;
  /** The module of a previewed thesis's block switches (render/block-switch.ts): in memory only, like the main file. */
  readonly draftSwitchFile: string;
  /** The folders the sources live in: what watch watches for new files. */
  readonly sourceDirs: readonly string[];

  constructor(readonly root: string) {
    this.thesisDir = path.join(root, 'thesis');
    this.configFile = path.join(this.thesisDir, 'thesis.yaml');
    this.bibliographyDir = path.join(root, 'bibliography');
    this.templatesDir = path.join(root, 'templates');
    this.distDir = path.join(root, 'dist');
    this.cacheDir = path.join(this.distDir, '.cache');
    this.pdfFile = path.join(this.distDir, 'thesis.pdf');
    this.typstFile = path.join(this.distDir, 'thesis.typ');
    this.progressJsonFile = path.join(this.distDir, 'progress.json');
    this.progressHtmlFile = path.join(this.distDir, 'progress.html');
    this.mainTypstFile = path.join(root, '.thesis-main.typ');
    this.draftSwitchFile = path.join(root, '.thesis-draft.typ');
    this.sourceDirs = [this.thesisDir, this.bibliographyDir, this.templatesDir];
  }

  /** A previewed thesis's chapter (the `index`th) as Typst gets it, in memory only (compile/step.ts). */
  chapterPartFile(index: number): string {
    return path.join(this.root, `.thesis-part-${index + 1}.typ`);
  }

  /** A chapter named in thesis.yaml (relative to thesis/). */
  chapterFile(name: string): string {
    return path.resolve(this.thesisDir, name);
  }

  /** A bibliography named in thesis.yaml: relative to the project, or `~/Zotero/My Library.bib` in the user's home (read only when the user allows it). */
  bibliographyFile(name: string): string {
    return expandHome(name, this.root);
  }

  /** Where a CSL file named in thesis.yaml may be: relative to the project, thesis/ or templates/. */
  styleCandidates(name: string): string[] {
    return [this.root, this.thesisDir, this.templatesDir].map((dir) => path.resolve(dir, name));
  }

  /** A file in dist/.cache. */
  cacheFile(...parts: string[]): string {
    return path.join(this.cacheDir, ...parts);
  }

  /**
   * Why nothing may be written to dist/, or null. Outputs go only into the
   * project's own folders: a dist/ (or dist/.cache) that is a symbolic link
   * would send the PDF, the reports and the caches wherever it points. A
   * file in dist/ that is a link is harmless (an output replaces the link,
   * never writes through it).
   */
  outputRefusal(): string | null {
    for (const dir of [this.distDir, this.cacheDir, this.cacheFile('chapters')]) {
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(dir);
      } catch {
        continue; // Not there yet: made as a folder when first written.
      }
      const shown = path.relative(this.root, dir);
      if (stat.isSymbolicLink()) return `${shown} is a symbolic link; outputs are written only into the project's own ${shown}/ folder: remove the link`;
      if (!stat.isDirectory()) return `${shown} is not a folder; outputs are written into ${shown}/: move the file away`;
    }
    return null;
  }

  /** Whether a file is one of the outputs (dist/), which builds never read as input. */
  isOutput(file: string): boolean {
    const resolved = path.resolve(file);
    return resolved === this.distDir || resolved.startsWith(this.distDir + path.sep);
  }

  /** The kind of source a file would be, from the folder it is in and its extension. */
  sourceKind(file: string): 'chapter-or-config' | 'bibliography' | 'template' | null {
    const [top] = path.relative(this.root, file).split(path.sep);
    if (top === 'thesis') return /\.(md|ya?ml|csl)$/i.test(file) ? 'chapter-or-config' : null;
    if (top === 'bibliography') return /\.(bib|json)$/i.test(file) ? 'bibliography' : null;
    if (top === 'templates') return /\.(typ|csl)$/i.test(file) ? 'template' : null;
    return null;
  }
}

/** The toolchain's own files that a build may use. */
export const toolchainLayout = {
  root: toolchainDir,
  templateFile: path.join(toolchainDir, 'templates', 'thesis.typ'),
  lockFile: path.join(toolchainDir, 'package-lock.json'),
  /** Code the toolchain generates for itself (the worker bundled from sources under vitest). */
  cacheDir: path.join(toolchainDir, 'node_modules', '.cache', 'thesis-toolchain'),
};

/** A file a chapter links to (an image), as Markdown resolves it: relative to the chapter, %-escapes decoded. */
export function linkedFile(chapterFile: string, url: string): string {
  let decoded = url;
  try {
    decoded = decodeURI(url);
  } catch {
    // A malformed escape (`a%zz.png`) is taken as written; the file is then looked for under that name.
  }
  return path.resolve(path.dirname(chapterFile), decoded);
}
