// The glossary's terms across the thesis (issue 12): each `[+key]` is
// marked as the term's first use or a later one, in reading order (the
// writer prints the long form with the short one the first time, the short
// one after); a key the glossary does not define is a positioned warning
// with the nearest keys, and a term never used is reported at its
// thesis.yaml line. Run on every build: the marks follow the text.
import type { GlossaryTerm, Root } from 'mdast';
import { diagnostic, type Diagnostic, type Place } from '../core/diagnostics.js';
import { closest } from '../core/suggest.js';
import { glossaryTermsOf } from '../parse/glossary-terms.js';
import type { GlossaryEntry } from '../read/config-schema.js';

export function markGlossaryUses(
  chapters: readonly { file: string; tree: Root }[],
  glossary: Record<string, GlossaryEntry>,
  keyPlace: (key: string) => Partial<Place>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const used = new Set<string>();
  for (const chapter of chapters) {
    for (const node of glossaryTermsOf([chapter.tree]) as GlossaryTerm[]) {
      node.data = { ...node.data, first: !used.has(node.key) };
      used.add(node.key);
      if (glossary[node.key]) continue;
      const expected = closest(node.key, Object.keys(glossary));
      diagnostics.push(
        diagnostic('glossary-unknown', `"${node.key}" is not in the glossary${expected.length ? `; did you mean ${expected.map((key) => `[+${key}]`).join(' or ')}?` : ''}`, { file: chapter.file, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 }, { actual: node.key, expected }),
      );
    }
  }
  for (const key of Object.keys(glossary)) {
    if (!used.has(key)) diagnostics.push(diagnostic('glossary-unused', `the glossary term "${key}" (${glossary[key].short}) is never used; write [+${key}] where it is meant, or remove it`, keyPlace(key)));
  }
  return diagnostics;
}
