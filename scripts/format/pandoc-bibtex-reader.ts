// Pandoc's BibTeX reader (pandoc-wasm, on the Pandoc thread:
// core/pandoc-thread.ts): Pandoc reads the entries the thesis cites and the
// items come back as CSL (pandoc-references.ts). Pandoc refuses a whole file for one entry it
// cannot parse; here a refused batch is read again entry by entry, so one
// such entry is one refusal and every other entry is still read.
import { pandocError, pandocSync } from '../core/pandoc-thread.js';
import { referencesToCslItems, type PandocItem } from './pandoc-references.js';

/** One cited entry: its text first, then the entries it inherits from (crossref, xdata). */
export interface PandocBibtexUnit {
  key: string;
  texts: string[];
}

export interface PandocBibtexRequest {
  /** `biblatex` for `.bib` files, as Pandoc chooses by the extension; `bibtex` for `.bibtex`; `yaml` for CSL YAML (each text an item as JSON). */
  dialect: 'biblatex' | 'bibtex' | 'yaml';
  /** The file's `@string` definitions, which every entry may use. */
  macros: string;
  units: PandocBibtexUnit[];
}

export interface PandocBibtexReading {
  items: Record<string, PandocItem>;
  /** Entries Pandoc refused, with the first line of its message. */
  refused: Record<string, string>;
}

function readText(dialect: PandocBibtexRequest['dialect'], text: string): PandocItem[] | string {
  // CSL YAML is read as Pandoc reads a document's `references:` (its strings are Markdown).
  const result =
    dialect === 'yaml'
      ? pandocSync({ options: { from: 'markdown', to: 'json' }, input: `---\nreferences:\n${text}\n---\n`, files: {} })
      : pandocSync({ options: { from: dialect, to: 'json' }, input: text, files: {} });
  const stdout = result.stdout;
  if (!stdout.trim()) return pandocError(result.stderr, 'Pandoc read nothing');
  try {
    return referencesToCslItems(JSON.parse(stdout) as Parameters<typeof referencesToCslItems>[0]);
  } catch (error) {
    return `Pandoc's answer cannot be read: ${(error as Error).message}`;
  }
}

function textOf(request: PandocBibtexRequest, units: PandocBibtexUnit[]): string {
  const texts = new Set<string>();
  for (const unit of units) for (const text of unit.texts) texts.add(text);
  if (request.dialect === 'yaml') return [...texts].map((item) => `- ${item}`).join('\n');
  return [request.macros, ...texts].join('\n');
}

export function readBibtexWithPandoc(request: PandocBibtexRequest): PandocBibtexReading {
  const reading: PandocBibtexReading = { items: {}, refused: {} };
  const read = (units: PandocBibtexUnit[]): void => {
    if (units.length === 0) return;
    const result = readText(request.dialect, textOf(request, units));
    if (typeof result !== 'string') {
      const byId = new Map(result.map((read) => [read.item.id, read]));
      for (const unit of units) {
        const item = byId.get(unit.key);
        if (item) reading.items[unit.key] = item;
        else reading.refused[unit.key] = 'Pandoc read no entry with this key';
      }
    } else if (units.length === 1) reading.refused[units[0].key] = result;
    else {
      const half = Math.ceil(units.length / 2);
      read(units.slice(0, half));
      read(units.slice(half));
    }
  };
  read(request.units);
  return reading;
}
