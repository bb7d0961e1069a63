// What the language server knows about one thesis after a run of the steps
// up to Typst (no PDF): the diagnostics per file, the citation keys and where
// the bibliography defines them, the labels and what they name, the glossary,
// every place a key or label is used, and each chapter's headings. Built
// from the same Analysis a build makes, so the editor and the PDF agree.
import type { Heading, Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Diagnostic } from '../core/diagnostics.js';
import { plainText } from '../format/rich-text.js';
import { nodeLabel } from '../parse/labels.js';
import type { Analysis } from '../pipeline.js';
import { citationKeyPlace } from '../resolve/citations.js';

/** A place in a file: 1-based line, 1-based column in UTF-16 code units (as the parser counts), as diagnostics have it. */
export interface Place {
  file: string;
  line: number;
  column: number;
  end?: { line: number; column: number };
}

export interface LabelInfo {
  label: string;
  kind: 'figure' | 'table' | 'equation' | 'section' | 'listing' | 'other';
  /** The heading's text or the caption. */
  text: string;
  place: Place;
}

export interface HeadingInfo {
  depth: number;
  text: string;
  id?: string;
  place: Place;
}

export class ThesisIndex {
  /** Diagnostics by file. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly labels = new Map<string, LabelInfo>();
  /** Every use of a citation key or a cross-reference label, by key. */
  readonly uses = new Map<string, Place[]>();
  readonly headings = new Map<string, HeadingInfo[]>();
  /** The in-text form of each citation, by the file and line it starts on. */
  readonly citationTexts = new Map<string, string>();

  constructor(
    readonly analysis: Analysis | undefined,
    diagnostics: readonly Diagnostic[],
  ) {
    for (const d of diagnostics) {
      if (!d.file) continue;
      this.diagnostics.set(d.file, [...(this.diagnostics.get(d.file) ?? []), d]);
    }
    if (!analysis) return;
    for (const use of analysis.citations) {
      const text = analysis.formatted?.citations.get(use.id);
      for (const item of use.node.items) {
        const place = { file: use.file, ...citationKeyPlace(use, item) };
        this.uses.set(item.key, [...(this.uses.get(item.key) ?? []), place]);
        if (text) this.citationTexts.set(`${use.file}:${place.line}:${place.column}`, plainText(text));
      }
    }
    for (const chapter of analysis.chapters) this.indexChapter(chapter.file, chapter.tree);
  }

  private indexChapter(file: string, tree: Root): void {
    const headings: HeadingInfo[] = [];
    const walk = (node: Nodes) => {
      const label = nodeLabel(node);
      const start = node.position?.start;
      const place: Place | null = start ? { file, line: start.line, column: start.column } : null;
      if (node.type === 'heading') {
        const heading = node as Heading;
        const id = heading.data?.label ?? heading.data?.autoId;
        if (place) headings.push({ depth: heading.depth, text: toString(heading), ...(id ? { id } : {}), place });
        if (id && place) this.labels.set(id, { label: id, kind: 'section', text: toString(heading), place });
      } else if (label && place) {
        const caption = 'children' in node ? (node.children as Nodes[]).find((child) => child.type === 'caption') : undefined;
        const kind = label.startsWith('fig:') ? 'figure' : label.startsWith('tbl:') ? 'table' : label.startsWith('eq:') ? 'equation' : label.startsWith('lst:') ? 'listing' : 'other';
        this.labels.set(label, { label, kind, text: caption ? toString(caption) : node.type === 'math' || node.type === 'displayMath' ? String((node as { value?: string }).value ?? '') : '', place });
      }
      if (node.type === 'crossref' && place) {
        const key = (node as { label: string }).label;
        const end = node.position?.end;
        this.uses.set(key, [...(this.uses.get(key) ?? []), { ...place, ...(end ? { end: { line: end.line, column: end.column } } : {}) }]);
      }
      if ('children' in node) for (const child of node.children as Nodes[]) walk(child);
    };
    walk(tree);
    this.headings.set(file, headings);
  }
}
