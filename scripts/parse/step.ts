// The parse step: each chapter's text -> its syntax tree, kept three ways so
// a chapter is parsed only when its text changed:
// - in memory, by text (a long-lived process: watch, an editor, tests);
// - in watch, by section: only the sections of a chapter whose text changed
//   are parsed again (incremental.ts);
// - on disk, dist/.cache/chapters/, one file per chapter: reading a chapter
//   back is two orders of magnitude faster than parsing it (a 12,000-word
//   thesis parses in 150–280 ms in a fresh process and reads back in 3 ms).
// Later steps only ever (re)assign citation ids on a tree, in document
// order, so a kept tree can be reused as it is.
import type { Diagnostic } from '../core/diagnostics.js';
import { cacheKey, DiskCache, sha256 } from '../core/disk-cache.js';
import type { ProjectLayout } from '../core/layout.js';
import type { ChapterSource } from '../read/project.js';
import { IncrementalParser } from './incremental.js';
import { parseChapter, type ParsedChapter } from './markdown.js';
import { diagnostic } from '../core/diagnostics.js';

export type Chapter = ParsedChapter & { name: string; source: string; appendix?: boolean };

export class ParseStep {
  private readonly parsed = new Map<string, { text: string; parsed: ParsedChapter }>();
  private readonly incremental = new IncrementalParser();

  constructor(private readonly layout: ProjectLayout) {}

  run(sources: ChapterSource[], preview: boolean): { chapters: Chapter[]; diagnostics: Diagnostic[] } {
    const chapters = sources.map((source) => ({ ...this.parse(source.file, source.text, preview), name: source.name, source: source.text, ...(source.appendix ? { appendix: true } : {}) }));
    return { chapters, diagnostics: chapters.flatMap((chapter) => chapter.diagnostics) };
  }

  private parse(file: string, text: string, preview: boolean): ParsedChapter {
    try {
      return this.parseOrThrow(file, text, preview);
    } catch (error) {
      // Nesting the depth limits (nesting.ts) did not catch: the chapter is left out with a message, never a crash.
      if (!(error instanceof RangeError)) throw error;
      return {
        file,
        tree: { type: 'root', children: [] },
        frontMatter: {},
        diagnostics: [diagnostic('nesting-too-deep', `this chapter nests its blocks too deeply to be read (${error.message}); it is left out — flatten its quotes and lists`, { file, line: 1, column: 1 }, { fatal: true, severity: 'error' })],
      };
    }
  }

  private parseOrThrow(file: string, text: string, preview: boolean): ParsedChapter {
    if (preview) return this.incremental.parse(file, text);
    const kept = this.parsed.get(file);
    if (kept?.text === text) return kept.parsed;
    const cache = new DiskCache<ParsedChapter>(this.layout.cacheFile('chapters', `${sha256(file).slice(0, 24)}.json`));
    const key = cacheKey(['parse'], file, text);
    let parsed = cache.read(key);
    if (!parsed) {
      parsed = parseChapter(file, text);
      cache.write(key, parsed);
    }
    this.parsed.set(file, { text, parsed });
    return parsed;
  }
}
