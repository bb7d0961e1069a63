// The resolve step: what the chapters point to. The bibliography is loaded
// (kept in memory between runs, and in dist/.cache/bibliography.json keyed
// by each file's size and mtime, which skips citation-js: a 5,000-entry file
// takes it about half a second); every citation is collected in reading
// order and its keys checked; every image a chapter shows is looked for (and so
// recorded as an input of the build).
import fs from 'node:fs';
import type { Diagnostic } from '../core/diagnostics.js';
import { cacheKey, DiskCache } from '../core/disk-cache.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';
import { numberExamplesInThesis } from '../parse/fancy-lists.js';
import { assignHeadingIds } from '../parse/heading-ids.js';
import type { Chapter } from '../parse/step.js';
import { loadBibliography, type BibEntry, type Bibliography, type ReadOptions } from './bibliography.js';
import { checkCitationKeys, collectCitations, type CitationUse } from './citations.js';
import { checkImages } from './images.js';
import { linkHeaderReferences } from './header-references.js';

interface StoredBibliography {
  entries: BibEntry[];
  diagnostics: Diagnostic[];
}

export class ResolveStep {
  private kept: { key: string; bibliography: Bibliography } | null = null;

  constructor(private readonly layout: ProjectLayout) {}

  run(
    chapters: Chapter[],
    bibliographyFiles: string[],
    options: { noteStyle: boolean; strict: boolean; lang: string },
    inputs: Inputs,
  ): { bibliography: Bibliography; citations: CitationUse[]; diagnostics: Diagnostic[] } {
    const bibliography = this.loadBibliography(bibliographyFiles, inputs, { englishDocument: /^en\b/i.test(options.lang) });
    // Examples are numbered through the whole thesis, as Pandoc numbers them through its input.
    numberExamplesInThesis(chapters.map((chapter) => chapter.tree));
    // Every heading without a label gets the identifier Pandoc would give it, unique in the thesis.
    assignHeadingIds(chapters.map((chapter) => chapter.tree));
    // `see [Methodology]` links to that heading, as Pandoc's implicit header references do.
    linkHeaderReferences(chapters.map((chapter) => chapter.tree));
    const citations = collectCitations(chapters, options.noteStyle);
    const images = chapters.flatMap((chapter) => checkImages(chapter, this.layout.root, (file) => inputs.exists(file), options.strict, (file) => inputs.allows(file)));
    return { bibliography, citations, diagnostics: [...bibliography.diagnostics, ...checkCitationKeys(citations, bibliography, options.strict), ...images] };
  }

  private loadBibliography(files: string[], inputs: Inputs, options: ReadOptions): Bibliography {
    const key = cacheKey(['resolve'], [...files.map((file) => [file, inputs.stamp(file)]), ['englishDocument', String(options.englishDocument)]]);
    if (this.kept?.key === key) return this.kept.bibliography;
    const cache = new DiskCache<Bibliography, StoredBibliography>(this.layout.cacheFile('bibliography.json'), {
      store: (bibliography) => ({ entries: [...bibliography.entries.values()], diagnostics: bibliography.diagnostics }),
      // The texts are read again: edits (refs add, rename) need every byte as it is now.
      load: (stored) => ({
        entries: new Map(stored.entries.map((entry) => [entry.key, entry])),
        files,
        sources: new Map(files.filter((file) => fs.existsSync(file)).map((file) => [file, inputs.readText(file)] as const)),
        diagnostics: stored.diagnostics,
      }),
    });
    let bibliography = cache.read(key);
    if (!bibliography) {
      bibliography = loadBibliography(files, (file) => inputs.readText(file), options);
      cache.write(key, bibliography);
    }
    this.kept = { key, bibliography };
    return bibliography;
  }
}

