// The parse stage: Markdown (CommonMark + GFM, YAML front matter, footnotes,
// math, Pandoc citations and pandoc-crossref labels) -> one mdast per chapter.
import type { Root, Yaml } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { LineCounter, parseDocument } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { chapterStatuses, type ChapterStatus } from '../read/config-schema.js';
import { citeKeyFromMarkdown, citeKeySyntax } from './citation-syntax.js';
import { groupCitations } from './citations.js';
import { applyLabels } from './labels.js';
import { inlineFootnotes } from './inline-notes.js';

export interface ChapterFrontMatter {
  title?: string;
  status?: ChapterStatus;
  /** Word target for this chapter. */
  target?: number;
}

export interface ParsedChapter {
  file: string;
  tree: Root;
  frontMatter: ChapterFrontMatter;
  /** Problems found while parsing (front matter, unclosed citation brackets). */
  diagnostics: Diagnostic[];
}

function remarkCitations(this: Processor) {
  const data = this.data() as { micromarkExtensions?: unknown[]; fromMarkdownExtensions?: unknown[] };
  (data.micromarkExtensions ??= []).push(citeKeySyntax());
  (data.fromMarkdownExtensions ??= []).push(citeKeyFromMarkdown());
}

const processor = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkGfm)
  .use(remarkMath)
  .use(remarkCitations);

export function parseChapter(file: string, source: string): ParsedChapter {
  const diagnostics: Diagnostic[] = [];
  const tree = processor.parse(source) as Root;
  const frontMatter = readFrontMatter(file, tree, diagnostics);
  applyLabels(tree, source);
  inlineFootnotes(tree, source);
  for (const bracket of groupCitations(tree)) {
    diagnostics.push(diagnostic('citation-unclosed', `unclosed bracket before @${bracket.key}: expected \`]\` to end the citation`, { file, line: bracket.line, column: bracket.column }));
  }
  return { file, tree, frontMatter, diagnostics };
}

function readFrontMatter(file: string, tree: Root, diagnostics: Diagnostic[]): ChapterFrontMatter {
  const node = tree.children[0];
  if (node?.type !== 'yaml') return {};
  tree.children.shift();
  const yamlNode = node as Yaml;
  const firstLine = (yamlNode.position?.start.line ?? 1) + 1; // after the opening ---
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlNode.value, { lineCounter });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { file, line: firstLine + pos.line - 1, column: pos.col };
  };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      diagnostics.push(diagnostic('front-matter-invalid', `invalid front matter: ${error.message.split('\n')[0]}`, at(error.pos[0])));
    }
    return {};
  }
  const raw = doc.toJS() as Record<string, unknown> | null;
  if (!raw || typeof raw !== 'object') return {};
  const frontMatter: ChapterFrontMatter = {};
  const keyOffset = (key: string) => {
    const value = doc.get(key, true) as { range?: [number, number] } | undefined;
    return value?.range?.[0] ?? 0;
  };
  if (raw.title !== undefined) frontMatter.title = String(raw.title);
  if (raw.status !== undefined) {
    const status = String(raw.status);
    if ((chapterStatuses as readonly string[]).includes(status)) frontMatter.status = status as ChapterStatus;
    else
      diagnostics.push(
        diagnostic('front-matter-invalid', `unknown status "${status}", expected one of ${chapterStatuses.join(', ')}`, at(keyOffset('status'))),
      );
  }
  if (raw.target !== undefined) {
    if (typeof raw.target === 'number' && Number.isInteger(raw.target) && raw.target > 0) frontMatter.target = raw.target;
    else diagnostics.push(diagnostic('front-matter-invalid', `target must be a whole number of words, found "${String(raw.target)}"`, at(keyOffset('target'))));
  }
  return frontMatter;
}
