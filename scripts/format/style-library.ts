// The CSL project's styles, shipped in styles/ (see
// scripts/maintenance/refresh-styles.ts for how they get there): a style by
// its id, offline, the way Zotero's style manager offers them. A dependent
// style (a journal that uses another style as it is) is resolved to its
// parent, taking the dependent's default locale, as the CSL specification
// says a processor does.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { toolchainDir } from '../core/toolchain-dir.js';

export const styleLibraryFormat = 1;

export interface StyleLibraryIndex {
  format: number;
  source: string;
  /** Where this copy came from (a Debian package version or a commit). */
  version: string;
  /** id → [title, chunk, byte offset in the decompressed chunk, byte length] */
  independent: Record<string, [title: string, chunk: number, offset: number, length: number]>;
  /** id → [title, parent id, the default locale it sets or null] */
  dependent: Record<string, [title: string, parent: string, locale: string | null]>;
}

export function chunkFile(chunk: number): string {
  return `chunk-${String(chunk).padStart(2, '0')}.xml.br`;
}

/**
 * Names the toolchain once documented, and names the CSL repository has since
 * renamed (its renamed-styles.json), so a thesis.yaml written for them still builds.
 */
const renamed: Record<string, string> = {
  harvard1: 'harvard-cite-them-right',
  vancouver: 'vancouver-nlm',
  mla: 'modern-language-association',
  chicago: 'chicago-author-date',
  'chicago-note-bibliography': 'chicago-notes-bibliography',
};

export interface LibraryStyle {
  id: string;
  title: string;
  xml: string;
  /** The independent style a dependent one was resolved to. */
  parent?: string;
}

export class StyleLibrary {
  private readonly chunks = new Map<number, Buffer>();

  private constructor(
    private readonly dir: string,
    readonly index: StyleLibraryIndex,
  ) {}

  private static sharedLibrary: StyleLibrary | null | undefined;

  /** The toolchain's styles/ folder, read once per process; null when it is missing. */
  static shared(): StyleLibrary | null {
    if (StyleLibrary.sharedLibrary === undefined) StyleLibrary.sharedLibrary = StyleLibrary.open(path.join(toolchainDir, 'styles'));
    return StyleLibrary.sharedLibrary;
  }

  static open(dir: string): StyleLibrary | null {
    try {
      const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as StyleLibraryIndex;
      return index.format === styleLibraryFormat ? new StyleLibrary(dir, index) : null;
    } catch {
      return null;
    }
  }

  /** The id a name stands for: itself, or the style it was renamed to. */
  canonical(name: string): string | null {
    const id = name in this.index.independent || name in this.index.dependent ? name : renamed[name];
    return id && (id in this.index.independent || id in this.index.dependent) ? id : null;
  }

  ids(): string[] {
    return [...Object.keys(this.index.independent), ...Object.keys(this.index.dependent)];
  }

  get size(): number {
    return Object.keys(this.index.independent).length + Object.keys(this.index.dependent).length;
  }

  /** The style named `name` (an id or a former id), dependent styles resolved; null when unknown. */
  style(name: string): LibraryStyle | null {
    const id = this.canonical(name);
    if (!id) return null;
    const dependent = this.index.dependent[id];
    if (dependent) {
      const [title, parent, locale] = dependent;
      const parentXml = this.independentXml(parent);
      return { id, title, parent, xml: locale ? withDefaultLocale(parentXml, locale) : parentXml };
    }
    return { id, title: this.index.independent[id][0], xml: this.independentXml(id) };
  }

  /** The parent a dependent style file (one a university hands out) names, resolved from the library. */
  parentOf(dependentXml: string): LibraryStyle | null {
    const href = /<link\b(?=[^>]*\brel="independent-parent")[^>]*\bhref="([^"]+)"/.exec(dependentXml)?.[1];
    const parent = href?.replace(/\/+$/, '').split('/').pop();
    const found = parent ? this.style(parent) : null;
    if (!found) return null;
    const locale = /<style\b[^>]*\bdefault-locale="([^"]+)"/.exec(dependentXml)?.[1];
    return { ...found, xml: locale ? withDefaultLocale(found.xml, locale) : found.xml };
  }

  private independentXml(id: string): string {
    const [, chunk, offset, length] = this.index.independent[id];
    let bytes = this.chunks.get(chunk);
    if (!bytes) {
      bytes = zlib.brotliDecompressSync(fs.readFileSync(path.join(this.dir, chunkFile(chunk))));
      this.chunks.set(chunk, bytes);
    }
    return bytes.subarray(offset, offset + length).toString('utf8');
  }
}

/** A style with its `default-locale` set, as a dependent style sets its parent's. */
export function withDefaultLocale(xml: string, locale: string): string {
  return xml.replace(/<style\b[^>]*>/, (open) =>
    /\bdefault-locale="[^"]*"/.test(open) ? open.replace(/\bdefault-locale="[^"]*"/, `default-locale="${locale}"`) : open.replace(/<style\b/, `<style default-locale="${locale}"`),
  );
}

/** Whether a CSL file is a dependent style: it names a parent and has no <citation> of its own. */
export function isDependentStyle(xml: string): boolean {
  return /rel="independent-parent"/.test(xml) && !/<citation[\s>]/.test(xml);
}
