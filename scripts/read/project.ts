// The read stage: find the thesis folder's parts. With thesis.yaml the
// chapters and bibliography are the ones it names; without it, every
// thesis/*.md in name order and every .bib/.json/.yaml under bibliography/.
// Everything is read through the build's Inputs, which records it.
import { userConfigFile } from '../core/allowed-folders.js';
import { commandHint } from '../core/invocation.js';
import { isHardLink } from '../core/containment.js';
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic, type Place } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';
import { readConfigFile, type LoadedConfig } from './config.js';
import { defaultConfig } from './config-schema.js';
import { readGlossaryFile } from './glossary-file.js';
import type { ThesisConfig } from './config-schema.js';

export interface ChapterSource {
  /** Name as listed in thesis.yaml, relative to thesis/. */
  name: string;
  file: string;
  text: string;
  /** Listed under `appendices:`: after the reference list, numbered A, B, …, its words not counted by default. */
  appendix?: boolean;
}

/** A part of the front matter written in Markdown: an abstract, the acknowledgements, the dedication, the preface, the declaration. */
export interface FrontPart {
  kind: 'abstract' | 'acknowledgements' | 'dedication' | 'preface' | 'declaration';
  /** An abstract's language and its own title. */
  lang?: string;
  title?: string;
  /** Where the Markdown is written (a file in thesis/, or thesis.yaml) and the text, placed at its line by leading line ends. */
  file: string;
  text: string;
}

export interface Project {
  dir: string;
  layout: ProjectLayout;
  config: ThesisConfig;
  configFile?: string;
  lineOf: LoadedConfig['lineOf'];
  chapters: ChapterSource[];
  bibliographyFiles: string[];
  frontMatter: FrontPart[];
  /** Where a glossary term (by its lower-case key) is defined: in thesis.yaml or the glossary's own file. */
  glossaryPlace(key: string): Partial<Place>;
}

export function readProject(layout: ProjectLayout, inputs: Inputs): { project: Project | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const dir = layout.root;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    diagnostics.push(diagnostic('config-missing', `project folder "${dir}" does not exist`, {}, { fatal: true }));
    return { project: null, diagnostics };
  }
  const read = readConfigFile(layout, inputs);
  diagnostics.push(...read.diagnostics);
  if (read.loaded === null) return { project: null, diagnostics };
  const loaded = read.loaded;
  const config: ThesisConfig = loaded?.config ?? {
    ...defaultConfig,
    title: path.basename(path.resolve(dir)),
    author: '',
    chapters: [],
    bibliography: [],
  };
  const lineOf = loaded?.lineOf ?? (() => ({ line: 1, column: 1 }));
  const configFile = loaded?.file;
  const chapterNames = config.chapters.length > 0 ? config.chapters : listChapters(layout, inputs);
  if (chapterNames.length === 0) {
    diagnostics.push(
      diagnostic('chapter-missing', 'no chapters: list them under `chapters:` in thesis/thesis.yaml or add .md files to thesis/', configFile ? { file: configFile, line: 1, column: 1 } : {}, { fatal: true }),
    );
    return { project: null, diagnostics };
  }
  const chapters: ChapterSource[] = [];
  const listed: { name: string; key: string; index: number; appendix?: boolean }[] = [
    ...chapterNames.map((name, index) => ({ name, key: 'chapters', index })),
    ...config.appendices.map((name, index) => ({ name, key: 'appendices', index, appendix: true })),
  ];
  const outside = (key: string, index: number | undefined, name: string) =>
    diagnostic('path-outside-project', isHardLink(layout.chapterFile(name)) ? `"${name}" is a hard link, the same file as one that may be outside the project (a thesis reads only its own files): left out; copy the file instead` : `"${name}" is outside the project folder (a thesis reads only its own files): left out; move the file into the project`, configFile ? { file: configFile, ...lineOf(index === undefined ? [key] : [key, index]) } : {});
  listed.forEach(({ name, key, index, appendix }) => {
    const file = layout.chapterFile(name);
    if (!inputs.allows(file)) {
      diagnostics.push(outside(key, index, name));
      return;
    }
    try {
      chapters.push({ name, file, text: inputs.readText(file), ...(appendix ? { appendix } : {}) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const place = configFile ? { file: configFile, ...lineOf([key, index]) } : { file };
      diagnostics.push(
        code === 'ENOENT'
          ? diagnostic('chapter-missing', `chapter "${name}" is listed in thesis.yaml but ${path.relative(dir, file)} does not exist`, place, { fatal: true })
          : diagnostic('chapter-unreadable', `chapter "${name}" cannot be read: ${code === 'EISDIR' ? 'it is a folder' : code ?? (error as Error).message}`, place, { fatal: true }),
      );
    }
  });
  const named = config.bibliography.length > 0 ? config.bibliography.map((b) => layout.bibliographyFile(b)) : listBibliography(layout, inputs);
  // A bibliography the build cannot read is an error, not an empty reference list: every citation would print as "?key".
  const bibliographyFiles = named.filter((file, index) => {
    const name = config.bibliography[index] ?? path.relative(dir, file);
    const place = configFile ? { file: configFile, ...lineOf(config.bibliography.length > 1 ? ['bibliography', index] : ['bibliography']) } : {};
    if (!inputs.allows(file)) {
      diagnostics.push(
        diagnostic(
          'path-outside-project',
          `bibliography "${name}" is outside the thesis folder, which a build reads only when you allow it (a thesis cannot allow itself): ${commandHint('build', `--allow ${shellWord(path.dirname(file))}`)}, or THESIS_ALLOW=${shellWord(path.dirname(file))} in the environment, or \`allow: [${path.dirname(file)}]\` in ${userConfigFile(process.env)}`,
          place,
          { fatal: true, severity: 'error' },
        ),
      );
      return false;
    }
    if (!inputs.exists(file)) {
      diagnostics.push(diagnostic('bib-unreadable', `bibliography "${name}" does not exist (looked for ${file})${fs.existsSync(file) ? ': it is not a file' : ''}`, place, { fatal: true }));
      return false;
    }
    return true;
  });
  // Sources written in the metadata, as Pandoc reads them: `references:` in thesis.yaml or in a chapter's front matter.
  if (configFile && Array.isArray((config as { references?: unknown }).references)) bibliographyFiles.push(configFile);
  for (const chapter of chapters) if (/^references:/m.test(/^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(chapter.text)?.[1] ?? '')) bibliographyFiles.push(chapter.file);
  for (const file of bibliographyFiles) inputs.record(file);
  const frontMatter = readFrontMatter(config, layout, inputs, configFile, lineOf, diagnostics);
  let glossaryPlace = (key: string): Partial<Place> => ({ file: configFile, ...lineOf(['glossary', key]) });
  if (config.glossaryFile) {
    const glossary = readGlossaryFile(layout, inputs, config.glossaryFile, { file: configFile, ...lineOf(['glossary']) }, diagnostics);
    if (!glossary) return { project: null, diagnostics };
    config.glossary = glossary.glossary;
    glossaryPlace = glossary.placeOf;
  }
  return { project: { dir, layout, config, configFile, lineOf, chapters, bibliographyFiles, frontMatter, glossaryPlace }, diagnostics };
}

/**
 * The front matter's Markdown: each key's text, or the file in thesis/ it
 * names (a value such as `abstract-de.md`). Text written in thesis.yaml is
 * placed at its line there, so a warning in it points into thesis.yaml.
 */
function readFrontMatter(config: ThesisConfig, layout: ProjectLayout, inputs: Inputs, configFile: string | undefined, lineOf: LoadedConfig['lineOf'], diagnostics: Diagnostic[]): FrontPart[] {
  const parts: FrontPart[] = [];
  const read = (kind: FrontPart['kind'], value: string, keyPath: (string | number)[], extra: Partial<FrontPart> = {}) => {
    const where = lineOf(keyPath);
    if (/^[^\n]+\.md$/.test(value.trim())) {
      const name = value.trim();
      const file = layout.chapterFile(name);
      if (!inputs.allows(file)) {
        diagnostics.push(diagnostic('path-outside-project', `\`${keyPath.join('.')}\` names "${name}", which is outside the project folder: left out; move it into thesis/`, { file: configFile, ...where }));
        return;
      }
      try {
        parts.push({ kind, ...extra, file, text: inputs.readText(file) });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        diagnostics.push(diagnostic('chapter-missing', `\`${keyPath.join('.')}\` names "${name}", but ${code === 'ENOENT' ? `thesis/${name} does not exist` : `it cannot be read (${code ?? (error as Error).message})`}`, { file: configFile, ...where }, { fatal: true }));
      }
      return;
    }
    // A block scalar (`abstract: |`) starts on the line after its key.
    const line = where.line + (value.includes('\n') ? 1 : 0);
    parts.push({ kind, ...extra, file: configFile ?? layout.root, text: '\n'.repeat(Math.max(0, line - 1)) + value });
  };
  if (config.dedication) read('dedication', config.dedication, ['dedication']);
  if (typeof config.declaration === 'string') read('declaration', config.declaration, ['declaration']);
  const single = config.abstract.length === 1 && !config.abstract[0].lang && !config.abstract[0].title;
  config.abstract.forEach((abstract, index) => read('abstract', abstract.text, single ? ['abstract'] : ['abstract', index, 'text'], { lang: abstract.lang, title: abstract.title }));
  if (config.acknowledgements) read('acknowledgements', config.acknowledgements, ['acknowledgements']);
  if (config.preface) read('preface', config.preface, ['preface']);
  return parts;
}

function listChapters(layout: ProjectLayout, inputs: Inputs): string[] {
  try {
    return inputs
      .list(layout.thesisDir)
      .map((entry) => entry.name)
      .filter((name) => name.endsWith('.md'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

function listBibliography(layout: ProjectLayout, inputs: Inputs): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    let entries: fs.Dirent[];
    try {
      entries = inputs.list(folder);
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(bib|bibtex|json|ya?ml)$/i.test(entry.name)) found.push(full);
    }
  };
  walk(layout.bibliographyDir);
  return found;
}

/** A path as one word for a shell: quoted when it holds spaces or quotes (`"~/Zotero/My Library.bib"`). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./~-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
