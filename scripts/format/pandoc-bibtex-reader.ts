// Pandoc's BibTeX reader, run on the formatting thread (format-worker.ts):
// pandoc-wasm reads the entries the thesis cites and the items come back as
// CSL (pandoc-references.ts). Pandoc refuses a whole file for one entry it
// cannot parse; here a refused batch is read again entry by entry, so one
// such entry is one refusal and every other entry is still read.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { referencesToCslItems, type PandocItem } from './pandoc-references.js';

/** One cited entry: its text first, then the entries it inherits from (crossref, xdata). */
export interface PandocBibtexUnit {
  key: string;
  texts: string[];
}

export interface PandocBibtexRequest {
  /** `biblatex` for `.bib` files, as Pandoc chooses by the extension; `bibtex` for `.bibtex`. */
  dialect: 'biblatex' | 'bibtex';
  /** The file's `@string` definitions, which every entry may use. */
  macros: string;
  units: PandocBibtexUnit[];
}

export interface PandocBibtexReading {
  items: Record<string, PandocItem>;
  /** Entries Pandoc refused, with the first line of its message. */
  refused: Record<string, string>;
}

export type Convert = (options: Record<string, unknown>, input: string, files: Record<string, string>) => Promise<{ stdout?: string; stderr?: string }>;

let loaded: Promise<Convert> | undefined;

/** pandoc-wasm's `convert`, loaded once per thread (about half a second). */
export function loadPandoc(): Promise<Convert> {
  // Loaded by its file's URL at run time: a 56 MB WebAssembly module is no part of a bundle.
  loaded ??= import(pathToFileURL(createRequire(import.meta.url).resolve('pandoc-wasm')).href).then((module: { convert: Convert }) => module.convert);
  return loaded;
}

async function readText(dialect: PandocBibtexRequest['dialect'], text: string): Promise<PandocItem[] | string> {
  const convert = await loadPandoc();
  const result = await convert({ from: dialect, to: 'json' }, text, {});
  const stdout = result.stdout ?? '';
  if (!stdout.trim()) return (result.stderr ?? '').replace(/^ERROR:\s*/, '').split('\n').filter(Boolean).slice(0, 3).join(' ') || 'Pandoc read nothing';
  try {
    return referencesToCslItems(JSON.parse(stdout) as Parameters<typeof referencesToCslItems>[0]);
  } catch (error) {
    return `Pandoc's answer cannot be read: ${(error as Error).message}`;
  }
}

function textOf(request: PandocBibtexRequest, units: PandocBibtexUnit[]): string {
  const texts = new Set<string>();
  for (const unit of units) for (const text of unit.texts) texts.add(text);
  return [request.macros, ...texts].join('\n');
}

export async function readBibtexWithPandoc(request: PandocBibtexRequest): Promise<PandocBibtexReading> {
  const reading: PandocBibtexReading = { items: {}, refused: {} };
  const read = async (units: PandocBibtexUnit[]): Promise<void> => {
    if (units.length === 0) return;
    const result = await readText(request.dialect, textOf(request, units));
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
      await read(units.slice(0, half));
      await read(units.slice(half));
    }
  };
  await read(request.units);
  return reading;
}
