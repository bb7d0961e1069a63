// The render stage: each chapter's mdast -> Typst markup, assembled into one
// main file with the template call and the reference list, plus a source map
// from generated lines back to Markdown lines.
import type { Cite, Definition, FootnoteDefinition, Heading, List, Nodes, Root, RootContent } from 'mdast';
import { nodeLabel } from '../parse/labels.js';
import { visit } from 'unist-util-visit';
import type { Diagnostic } from '../core/diagnostics.js';
import type { FormattedCitations } from '../format/citeproc.js';
import { richTextToTypst } from './rich-text-typst.js';
import type { RichText } from '../format/rich-text.js';
import { languageOf } from '../core/language.js';
import type { ThesisConfig } from '../read/config-schema.js';
import { linkedFile } from '../core/layout.js';
import { escapeMarkup, referenceLabel, typstString } from '../core/typst-syntax.js';
import path from 'node:path';
import type { SourceMapping } from '../core/source-map.js';
import { WriterState } from './state.js';
import type { RenderContext } from './writer.js';
import { OUTSIDE_CHAPTERS, SWITCH_PREAMBLE, switchBlock, switched } from './block-switch.js';

export interface ChapterToRender {
  file: string;
  tree: Root;
  title?: string;
  /** Set after the reference list, numbered A, B, …. */
  appendix?: boolean;
}

export interface RenderedChapter {
  markup: string;
  sourceMap: SourceMapping[];
  diagnostics: Diagnostic[];
  /** In a preview: raw Typst in a block could not be put behind a switch (render/block-switch.ts), so no draft can leave it out. */
  unswitched?: true;
  /** In a preview: raw Typst at the chapter's top level defines or sets something for what follows it. */
  lasting?: true;
}

export interface RenderedDocument {
  main: string;
  /** The same, by lines (`main.split('\n')`). */
  lines: readonly string[];
  sourceMap: SourceMapping[];
  diagnostics: Diagnostic[];
  /** In a preview: every block stands behind a switch, so a draft can show only some (render/block-switch.ts). */
  switchable?: boolean;
  /** In a preview: the chapters' lines, each compiled as a file of its own (see ChapterPart). */
  parts?: ChapterPart[];
}

/**
 * A chapter's lines of a previewed thesis, given to Typst as a file of its own that the main file includes, so
 * an edit makes Typst take in that chapter again, not the whole thesis (compile/step.ts): 0-based, `from` the
 * blank line before the chapter (the file's first line imports what the chapter uses), `to` excluded. Only when
 * no raw Typst at a chapter's top level defines or sets anything, which would end with its file.
 */
export interface ChapterPart {
  from: number;
  to: number;
}


/** The labels each tree defines, and its headings (whose automatic ids are given on every build); found once per tree. */
const treeLabels = new WeakMap<Root, { own: string[]; headings: Heading[] }>();

export function collectLabels(trees: Root[]): Set<string> {
  const labels = new Set<string>();
  for (const tree of trees) {
    let found = treeLabels.get(tree);
    if (!found) {
      const own: string[] = [];
      const headings: Heading[] = [];
      visit(tree, (node: Nodes) => {
        const label = nodeLabel(node);
        if (label) own.push(label);
        else if (node.type === 'heading') headings.push(node);
      });
      treeLabels.set(tree, (found = { own, headings }));
    }
    for (const label of found.own) labels.add(label);
    for (const heading of found.headings) if (heading.data?.autoId) labels.add(heading.data.autoId);
  }
  return labels;
}

/** Rendered chapters kept between watch rebuilds, by chapter file. */
export type RenderCache = Map<string, { tree: Root; key: string; rendered: RenderedChapter }>;

/**
 * What, besides the tree, decides a chapter's markup: the formatted
 * citations it uses, the labels it may reference, whether its images exist.
 */
function renderKey(chapter: ChapterToRender, context: RenderContext, thesisKey: string): string {
  const parts: string[] = [chapter.title ?? '', thesisKey];
  const { cites, images, exampleLists, placesReferences } = keyNodes(chapter.tree);
  if (placesReferences) parts.push(context.referenceList);
  // Citation ids are given afresh on every build, so they are read now.
  for (const cite of cites) parts.push(context.citations.get(cite.data?.citationId ?? '') ?? '', String(cite.data?.exampleNumber ?? ''));
  // Example numbers run on from earlier chapters.
  for (const list of exampleLists) parts.push(String(list.start));
  for (const url of images) parts.push(url, String(context.fileExists(linkedFile(chapter.file, url))));
  return parts.join('\u0000');
}

/** The nodes of a tree the render key looks at, found once per tree (watch asks on every save). */
export interface KeyNodes {
  cites: Cite[];
  images: string[];
  exampleLists: List[];
  placesReferences: boolean;
}

const keyNodesOfTree = new WeakMap<Root, KeyNodes>();

export function keyNodes(tree: Root): KeyNodes {
  let found = keyNodesOfTree.get(tree);
  if (!found) {
    const cites: Cite[] = [];
    const images: string[] = [];
    const exampleLists: List[] = [];
    let placesReferences = false;
    visit(tree, (node: Nodes) => {
      if (node.type === 'cite') cites.push(node);
      else if (node.type === 'list' && node.data?.example) exampleLists.push(node);
      else if (node.type === 'image') images.push(node.url);
      else if (node.type === 'div' && node.attributes.id === 'refs') placesReferences = true;
    });
    keyNodesOfTree.set(tree, (found = { cites, images, exampleLists, placesReferences }));
  }
  return found;
}

/** The part of every chapter's render key that is the thesis's: worked out once a build, not once a chapter. */
function thesisRenderKey(context: Omit<RenderContext, 'referenceList'>): string {
  return [String(context.sourceMarkers ?? false), context.style.name, [...context.labels].join(','), JSON.stringify([...context.mathMacros])].join('\u0000');
}

function renderChapterCached(chapter: ChapterToRender, context: RenderContext, cache: RenderCache | undefined, thesisKey: string): RenderedChapter {
  if (!cache) return renderChapter(chapter, context);
  const key = renderKey(chapter, context, thesisKey);
  const cached = cache.get(chapter.file);
  if (cached && cached.tree === chapter.tree && cached.key === key) return cached.rendered;
  const rendered = renderChapter(chapter, context);
  cache.set(chapter.file, { tree: chapter.tree, key, rendered });
  return rendered;
}

/** The front matter's arguments to the template (render/front-matter.ts). */
export interface FrontMatterMarkup {
  /** Lines of the template call's arguments. */
  lines: string[];
  /** Where the Markdown behind those lines is, relative to the first line. */
  sourceMap: SourceMapping[];
  diagnostics: Diagnostic[];
}

export function renderDocument(
  config: ThesisConfig,
  templateImport: string,
  chapters: ChapterToRender[],
  formatted: FormattedCitations,
  context: Omit<RenderContext, 'referenceList'>,
  cache?: RenderCache,
  frontMatter?: FrontMatterMarkup,
  /** Typst for a page before the template's title page (the diff's summary). */
  prelude?: string,
  /** Reference entries to mark as new (the diff: cited now, not at the earlier revision). */
  newReferences?: ReadonlySet<string>,
  /** Pandoc's layout variables for the template (render/layout.ts), when the thesis sets any. */
  layout?: string | null,
): RenderedDocument {
  const diagnostics: Diagnostic[] = [];
  const sourceMap: SourceMapping[] = [];
  const language = languageOf(config.lang);
  const words = language.words;
  const lines: string[] = [];
  const push = (text: string) => lines.push(...text.split('\n'));

  const appendices = chapters.filter((chapter) => chapter.appendix);
  const mainChapters = chapters.filter((chapter) => !chapter.appendix);
  // Only what is used is imported, so a project's own older template keeps working.
  push(`#import ${typstString(templateImport)}: thesis, references${context.shortCaptions ? ', flex-caption' : ''}${appendices.length ? ', appendix' : ''}`);
  if (prelude) push(prelude);
  // Before the template's call, so its rules also reach what the template sets from its arguments: the list of
  // abbreviations links each term to its first use in the text, which a draft may not hold.
  if (context.sourceMarkers) push(SWITCH_PREAMBLE);
  push('#show: thesis.with(');
  const meta: [string, string | undefined][] = [
    ['title', config.title],
    ['subtitle', config.subtitle],
    ['author', config.author],
    ['kind', config.type],
    ['course', config.course],
    ['semester', config.semester],
    ['institution', config.institution],
    ['supervisor', config.supervisor],
    ['date', config.date],
    ['place', config.place],
  ];
  for (const [key, value] of meta) if (value !== undefined) push(`  ${key}: ${typstString(value)},`);
  // Only when given, so a project's own template without the parameter keeps working.
  if (config.keywords.length) push(`  keywords: (${config.keywords.map((keyword) => typstString(keyword)).join(', ')},),`);
  push(`  lang: ${typstString(language.code)},`);
  if (language.region) push(`  region: ${typstString(language.region)},`);
  push(`  toc: ${config.toc},`);
  if (layout) push(`  layout: ${layout},`);
  push(`  toc-title: ${typstString(words.contents)},`);
  if (frontMatter) {
    const offset = lines.length;
    lines.push(...frontMatter.lines);
    for (const mapping of frontMatter.sourceMap) sourceMap.push({ ...mapping, typLine: mapping.typLine + offset });
    diagnostics.push(...frontMatter.diagnostics);
  }
  push(')');
  if (context.sourceMarkers) push(NOTE_END_RULE);

  // Placed by a {#refs} div, the list comes under the writer's own heading, as in Pandoc.
  const referenceList = referenceListMarkup(formatted, config['reference-section-title'] ?? null, newReferences);
  const thesisKey = cache ? thesisRenderKey(context) : '';
  let switchable = true;
  let lasting = false;
  const parts: ChapterPart[] = [];
  const pushChapter = (chapter: ChapterToRender) => {
    const rendered = renderChapterCached(chapter, { ...context, referenceList }, cache, thesisKey);
    if (rendered.unswitched) switchable = false;
    if (rendered.lasting) lasting = true;
    push('');
    const offset = lines.length;
    push(rendered.markup);
    parts.push({ from: offset - 1, to: lines.length });
    for (const mapping of rendered.sourceMap) sourceMap.push({ ...mapping, typLine: mapping.typLine + offset });
    diagnostics.push(...rendered.diagnostics);
  };
  mainChapters.forEach(pushChapter);

  // The reference list goes where a `{#refs}` div puts it, else after the chapters, before the appendices.
  if (!chapters.some((chapter) => keyNodes(chapter.tree).placesReferences) && formatted.references.length > 0) {
    push('');
    const list = referenceListMarkup(formatted, config['reference-section-title'] ?? words.references, newReferences);
    push(context.sourceMarkers ? switched(...OUTSIDE_CHAPTERS, list.split('\n')).join('\n') : list);
  }
  if (appendices.length) {
    push('');
    push(`#show: appendix.with(title: ${typstString(words.appendix)})`);
    appendices.forEach(pushChapter);
  }
  // The preview's markers are plain metadata; one context at the end reads where they all landed
  // (one context, not one a block: 1,200 contexts doubled the time of a 10x compile).
  if (context.sourceMarkers) push(PLACES_QUERY);
  // Ended by a line end: the last line is empty.
  lines.push('');
  return { main: lines.join('\n'), lines, sourceMap, diagnostics, ...(context.sourceMarkers ? { switchable, ...(switchable && !lasting ? { parts } : {}) } : {}) };
}

function holdsBlock(rich: RichText): boolean {
  return rich.some((node) => node.type === 'block' || node.type === 'indent' || ('children' in node && holdsBlock(node.children)));
}

/** The reference list's markup by the formatted citations it is made from (watch formats again only when they change). */
const referenceListsMade = new WeakMap<FormattedCitations, Map<string, string>>();

/** The reference list as one Typst call, with a heading unless `title` is null ('' when it lists nothing). */
function referenceListMarkup(formatted: FormattedCitations, title: string | null, newReferences?: ReadonlySet<string>): string {
  if (newReferences) return makeReferenceList(formatted, title, newReferences);
  let made = referenceListsMade.get(formatted);
  if (!made) referenceListsMade.set(formatted, (made = new Map()));
  const key = JSON.stringify(title);
  let markup = made.get(key);
  if (markup === undefined) made.set(key, (markup = makeReferenceList(formatted, title)));
  return markup;
}

function makeReferenceList(formatted: FormattedCitations, title: string | null, newReferences?: ReadonlySet<string>): string {
  if (formatted.references.length === 0) return '';
  // A new entry (the diff) in the colour of added words.
  const entries = formatted.references.map((reference) => {
    const entry = richTextToTypst(reference.content);
    const markup = newReferences?.has(reference.key) ? `#text(fill: rgb("#1a5fb4"))[#underline(stroke: 0.6pt + rgb("#1a5fb4"), offset: 2pt)[${entry}]]` : entry;
    // An entry with CSL's display="block" lines (ISO 690, some German styles) is a block of
    // its own: a block inside #par is dropped by Typst. Pandoc's LaTeX puts each on a line.
    return `${holdsBlock(reference.content) ? '#block' : '#par'}[${markup}] <${referenceLabel(reference.key)}>\n`;
  });
  return `#references(title: ${title === null ? 'none' : typstString(title)}, hanging: ${formatted.hangingIndent})[\n${entries.join('\n')}]`;
}

/**
 * Where every marker landed, and for the first marker of each page the
 * counters there (page, heading, figures of each kind, equations,
 * footnotes), whether a footnote referenced on an earlier page runs on
 * to this one, for a heading where it begins, and where the text area begins: what a preview draft that starts at that page sets before its
 * first block (preview/draft.ts), so its pages are numbered as the full
 * build numbers them, and whether it can start there at all.
 */
export const PLACES_QUERY = `#place(top + left)[#metadata(none)<thesis-text-top>]
#context {
  let counters = (counter(page), counter(heading), counter(figure.where(kind: image)), counter(figure.where(kind: table)), counter(figure.where(kind: raw)), counter(math.equation), counter(footnote))
  // Where the text area begins, from an element placed at its top (on the last page): a page whose first block begins
  // lower has something of the block before on it (a list running over the page break).
  let textTop = query(<thesis-text-top>).map(m => m.location().position().y).at(0, default: none)
  let runOn = ()
  for m in query(<thesis-note-end>) {
    for page in range(m.value.page() + 1, m.location().page() + 1) { runOn.push(page) }
  }
  let last = 0
  let places = ()
  for m in query(<thesis-block>) {
    let place = m.location().position()
    let state = none
    if place.page != last {
      last = place.page
      // A heading's marker stands below it: where the heading itself begins, to tell whether it opens the page.
      let top = none
      if m.value.at(2) {
        let before = query(selector(heading).before(m.location()))
        if before.len() > 0 { top = before.last().location().position().y }
      }
      state = counters.map(c => c.at(m.location())) + (runOn.contains(place.page), top, textTop)
    }
    places.push((m.value, place, state))
  }
  // What each note referenced again prints (a note is labelled only then: render/handlers/footnote.ts), for a
  // draft that holds a later reference and not the note (render/block-switch.ts SWITCH_PREAMBLE).
  let notes = (:)
  for n in query(footnote) {
    if n.has("label") and type(n.body) != label { notes.insert(str(n.label), numbering(n.numbering, ..counter(footnote).at(n.location()))) }
  }
  [#metadata(places)<thesis-places>]
  [#metadata(notes)<thesis-notes>]
}`;

/**
 * With the preview's markers: a marker at the end of each footnote's entry,
 * holding where the note is referenced. A note Typst carries on to the next
 * page (too long for the foot of its own) ends on a later page than its
 * reference, and a draft cannot start on that page (it would not have the
 * note). Typst gives the same PDF, byte for byte, with the rule and without.
 */
export const NOTE_END_RULE = '#show footnote.entry: it => { it; [#metadata(it.note.location())<thesis-note-end>] }';

/** The preview's marker for a block: its file and line (where Typst placed it is read back at the end of the document). */
export function sourceMarker(file: string, line: number, heading = false): string {
  return `#metadata((${typstString(file)}, ${line}, ${heading}))<thesis-block>`;
}

/** The line and kind a marker of `file` names (sourceMarker's), or null when the text is not one. */
export function markerLine(text: string, file: string): { line: number; heading: boolean } | null {
  const head = `#metadata((${typstString(file)}, `;
  if (!text.startsWith(head)) return null;
  const line = Number(/^\d+/.exec(text.slice(head.length))?.[0]);
  for (const heading of [false, true]) if (sourceMarker(file, line, heading) === text) return { line, heading };
  return null;
}

/**
 * Blocks that stand at `index` among a chapter's top-level blocks (in place of the tree's own there), written
 * as renderChapter writes them in that chapter: the preview's quick draft (preview/quick-draft.ts), for blocks
 * whose footnote references are the ones they replace (so every note is written first where it was before).
 * Null when one writes nothing (renderChapter leaves it out).
 */
export function renderBlocksAt(chapter: ChapterToRender, index: number, blocks: readonly RootContent[], context: RenderContext): { markup: string[]; diagnostics: Diagnostic[] } | null {
  const notes = notesOf(chapter.tree);
  const state = new WriterState(chapter.file, context, notes.footnotes, notes.definitions);
  for (const [identifier, count] of notes.references) state.footnoteReferences.set(identifier, count);
  for (const [identifier, at] of notes.firstWritten) if (at < index) state.writtenFootnotes.add(identifier);
  const markup = blocks.map((block) => state.one(block as Nodes));
  return markup.some((written) => written === '') ? null : { markup, diagnostics: state.diagnostics };
}

/**
 * A chapter's notes as renderChapter meets them: the footnote and link definitions, how often each note is
 * referenced, and the top-level block where each is written (at its first reference, the references in its
 * text with it). Found once per tree: a quick draft asks on every save, and a chapter at 10× is 200 KB.
 */
const notesOfTree = new WeakMap<Root, { footnotes: Map<string, FootnoteDefinition>; definitions: Map<string, Definition>; references: Map<string, number>; firstWritten: Map<string, number> }>();

function notesOf(tree: Root) {
  let found = notesOfTree.get(tree);
  if (found) return found;
  // One walk for the definitions and the references (unist-util-visit's walk, three times, was 5 ms at 10×).
  const footnotes = new Map<string, FootnoteDefinition>();
  const definitions = new Map<string, Definition>();
  const references = new Map<string, number>();
  const gather = (node: Nodes) => {
    if (node.type === 'footnoteDefinition' && !footnotes.has(node.identifier)) footnotes.set(node.identifier, node);
    else if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
    else if (node.type === 'footnoteReference') references.set(node.identifier, (references.get(node.identifier) ?? 0) + 1);
    if ('children' in node) for (const child of node.children) gather(child as Nodes);
  };
  gather(tree);
  const firstWritten = new Map<string, number>();
  const walk = (node: Nodes, at: number) => {
    if (node.type === 'footnoteDefinition') return;
    if (node.type === 'footnoteReference') {
      const definition = footnotes.get(node.identifier);
      if (definition && !firstWritten.has(node.identifier)) {
        firstWritten.set(node.identifier, at);
        for (const child of definition.children) walk(child as Nodes, at);
      }
      return;
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes, at);
  };
  tree.children.forEach((block, at) => walk(block as Nodes, at));
  notesOfTree.set(tree, (found = { footnotes, definitions, references, firstWritten }));
  return found;
}

/** One chapter to Typst markup, with a source map relative to its first line. */
export function renderChapter(chapter: ChapterToRender, context: RenderContext): RenderedChapter {
  // Kept with the tree: a quick draft of the next save (renderBlocksAt) finds them.
  const notes = notesOf(chapter.tree);
  const state = new WriterState(chapter.file, context, notes.footnotes, notes.definitions);
  for (const [identifier, count] of notes.references) state.footnoteReferences.set(identifier, count);
  const lines: string[] = [];
  const sourceMap: SourceMapping[] = [];
  const hasTitleHeading = chapter.tree.children.some((n) => n.type === 'heading' && n.depth === 1);
  const relative = path.relative(context.projectDir, chapter.file).split(path.sep).join('/');
  // In a preview, each block stands behind its switch (render/block-switch.ts); what has no line of its own goes
  // with the block before it (the chapter's title from its front matter: with none, the line 0).
  let lastLine = 0;
  let switchable = true;
  let lasting = false;
  if (!hasTitleHeading && chapter.title) {
    const title = `= ${escapeMarkup(chapter.title, { smartQuotes: true })}`;
    lines.push(...(context.sourceMarkers ? switched(relative, lastLine, [title]) : [title]));
  }
  for (const block of chapter.tree.children) {
    const markup = state.one(block as Nodes);
    if (markup === '') continue;
    if (lines.length > 0) lines.push('');
    if (!context.sourceMarkers || !block.position) {
      const typLine = lines.length + 1;
      lines.push(...(context.sourceMarkers ? switched(relative, lastLine, markup.split('\n')) : markup.split('\n')));
      if (block.position) sourceMap.push({ typLine, typLines: lines.length - typLine + 1, file: chapter.file, line: block.position.start.line, endLine: block.position.end.line });
      continue;
    }
    // The marker after a heading (which may begin a new page: a marker before it would stay on the page
    // before), else before the block. Invisible, it moves nothing (tests/preview-draft.test.ts).
    const line = block.position.start.line;
    const end = block.position.end.line;
    lastLine = line;
    const made = switchBlock(block, relative, line, markup.split('\n'), sourceMarker(relative, line, block.type === 'heading'));
    switchable &&= made.switched;
    lasting ||= made.lasting === true;
    const offset = lines.length;
    lines.push(...made.lines);
    for (const stretch of made.stretches) {
      sourceMap.push({ typLine: offset + stretch.at + 1, typLines: stretch.length, file: chapter.file, line: line + stretch.markupLine, endLine: end });
    }
  }
  const markup = lines.join('\n');
  return { markup, sourceMap, diagnostics: state.diagnostics, ...(switchable ? {} : { unswitched: true }), ...(lasting ? { lasting: true } : {}) };
}
