// The read stage: find the thesis folder's parts. With thesis.yaml the
// chapters and bibliography are the ones it names; without it, every
// thesis/*.md in name order and every .bib/.json under bibliography/.
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { readConfigFile, type LoadedConfig } from './config.js';
import { defaultConfig } from './config-schema.js';
import type { ThesisConfig } from './config-schema.js';

export interface ChapterSource {
  /** Name as listed in thesis.yaml, relative to thesis/. */
  name: string;
  file: string;
  text: string;
}

export interface Project {
  dir: string;
  config: ThesisConfig;
  configFile?: string;
  lineOf: LoadedConfig['lineOf'];
  chapters: ChapterSource[];
  bibliographyFiles: string[];
}

/** A file a chapter links to (an image), as Markdown resolves it: relative to the chapter. */
export function linkedFile(chapterFile: string, url: string): string {
  return path.resolve(path.dirname(chapterFile), decodeURI(url));
}

export function thesisDir(projectDir: string): string {
  return path.join(projectDir, 'thesis');
}

export function readProject(dir: string, diagnostics: Diagnostic[]): Project | null {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    diagnostics.push(diagnostic('config-missing', `project folder "${dir}" does not exist`, {}, { fatal: true }));
    return null;
  }
  const loaded = readConfigFile(dir, diagnostics);
  if (loaded === null) return null;
  const config: ThesisConfig = loaded?.config ?? {
    ...defaultConfig,
    title: path.basename(path.resolve(dir)),
    author: '',
    chapters: [],
    bibliography: [],
  };
  const lineOf = loaded?.lineOf ?? (() => ({ line: 1, column: 1 }));
  const configFile = loaded?.file;
  const chapterNames = config.chapters.length > 0 ? config.chapters : listChapters(dir);
  if (chapterNames.length === 0) {
    diagnostics.push(
      diagnostic('chapter-missing', 'no chapters: list them under `chapters:` in thesis/thesis.yaml or add .md files to thesis/', configFile ? { file: configFile, line: 1, column: 1 } : {}, { fatal: true }),
    );
    return null;
  }
  const chapters: ChapterSource[] = [];
  chapterNames.forEach((name, index) => {
    const file = path.resolve(thesisDir(dir), name);
    try {
      chapters.push({ name, file, text: fs.readFileSync(file, 'utf8') });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const place = configFile ? { file: configFile, ...lineOf(['chapters', index]) } : { file };
      diagnostics.push(
        code === 'ENOENT'
          ? diagnostic('chapter-missing', `chapter "${name}" is listed in thesis.yaml but ${path.relative(dir, file)} does not exist`, place, { fatal: true })
          : diagnostic('chapter-unreadable', `chapter "${name}" cannot be read: ${code === 'EISDIR' ? 'it is a folder' : code ?? (error as Error).message}`, place, { fatal: true }),
      );
    }
  });
  const bibliographyFiles = config.bibliography.length > 0 ? config.bibliography.map((b) => path.resolve(dir, b)) : listBibliography(dir);
  return { dir, config, configFile, lineOf, chapters, bibliographyFiles };
}

function listChapters(dir: string): string[] {
  try {
    return fs
      .readdirSync(thesisDir(dir))
      .filter((f) => f.endsWith('.md'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

function listBibliography(dir: string): string[] {
  const root = path.join(dir, 'bibliography');
  const found: string[] = [];
  const walk = (folder: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(bib|json)$/i.test(entry.name)) found.push(full);
    }
  };
  walk(root);
  return found;
}
