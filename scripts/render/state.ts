// The writer's state: dispatches each mdast node to the handler for its type
// and collects diagnostics. A node type with no handler does not compile
// (handlers/index.ts); one that arrives anyway at run time is a warning on
// that node, never silently dropped.
import path from 'node:path';
import type { Definition, FootnoteDefinition, Nodes, PhrasingContent, RootContent } from 'mdast';
import { diagnostic, type Diagnostic, type RuleId } from '../core/diagnostics.js';
import { escapeMarkup } from '../core/typst-syntax.js';
import { handlers } from './handlers/index.js';
import type { Handler, RenderContext, Writer } from './writer.js';
import { linkedFile } from '../core/layout.js';

export class WriterState implements Writer {
  readonly diagnostics: Diagnostic[] = [];
  readonly footnotes: Map<string, FootnoteDefinition>;
  readonly definitions: Map<string, Definition>;
  /** Footnotes already written, so a second reference repeats the number. */
  readonly writtenFootnotes = new Set<string>();
  readonly footnoteReferences = new Map<string, number>();
  depth = 0;
  inlineDepth = 0;

  constructor(
    readonly file: string,
    readonly context: RenderContext,
    footnotes: Map<string, FootnoteDefinition>,
    definitions: Map<string, Definition>,
  ) {
    this.footnotes = footnotes;
    this.definitions = definitions;
  }

  /** One node to Typst markup. */
  one(node: Nodes): string {
    const handler = (handlers as Partial<Record<string, Handler>>)[node.type];
    if (!handler) {
      this.warn('node-unsupported', `cannot typeset a \`${node.type}\` node; remove it or write it as a raw Typst block`, node);
      return '';
    }
    return handler(node, this);
  }

  /** Inline content, concatenated. */
  inline(nodes: readonly PhrasingContent[]): string {
    this.inlineDepth++;
    try {
      return nodes.map((node) => this.one(node)).join('');
    } finally {
      this.inlineDepth--;
    }
  }

  /** Block content, separated by blank lines. */
  blocks(nodes: readonly (RootContent | Nodes)[], sameLevel = false): string {
    if (!sameLevel) this.depth++;
    try {
      return nodes
        .map((node) => this.one(node as Nodes))
        .filter((markup) => markup !== '')
        .join('\n\n');
    } finally {
      if (!sameLevel) this.depth--;
    }
  }

  text(value: string): string {
    return escapeMarkup(value, { smartQuotes: true });
  }

  warn(rule: RuleId, message: string, node?: { position?: { start: { line: number; column: number } } }): void {
    this.diagnostics.push(diagnostic(rule, message, { file: this.file, line: node?.position?.start.line, column: node?.position?.start.column }));
  }

  /** A path from the chapter, as Typst sees it: absolute from the project root. */
  projectPath(url: string): { typstPath: string; file: string } {
    const file = linkedFile(this.file, url);
    const relative = path.relative(this.context.projectDir, file).split(path.sep).join('/');
    return { typstPath: '/' + relative, file };
  }
}
