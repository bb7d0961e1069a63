// Completion in thesis.yaml: the keys the schema knows (those not yet
// written, with what each takes), and values where the toolchain knows
// them: the CSL styles by id, the languages that have citation terms, the
// built-in templates, and the Markdown files of thesis/ for `chapters` and
// `appendices`.
import fs from 'node:fs';
import path from 'node:path';
import { CompletionItemKind, type CompletionItem, type CompletionList } from 'vscode-languageserver/node';
import { available as localeTags } from '../format/locales.js';
import { StyleLibrary } from '../format/style-library.js';
import { configSchema } from '../read/config-schema.js';
import { builtinTemplateNames } from '../read/template.js';

type SchemaNode = { type?: string | string[]; description?: string; anyOf?: SchemaNode[]; enum?: readonly unknown[]; items?: SchemaNode };

/** What a key takes, in a few words, from its schema. */
function describe(node: SchemaNode): string {
  if (node.description) return node.description;
  if (node.enum) return `one of ${node.enum.join(', ')}`;
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  return types.map((type) => (type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : type === 'integer' ? 'a whole number' : `a ${type}`)).join(' or ') || 'a value';
}

/** At most this many values at once; typing narrows them (the list says it is incomplete). */
const LIMIT = 200;

export function configCompletion(text: string, line: number, character: number, thesisDir: string): CompletionList {
  const lines = text.split('\n');
  const before = (lines[line] ?? '').slice(0, character);
  const properties = configSchema.properties as unknown as Record<string, SchemaNode>;
  // A top-level key being typed.
  const key = /^([\w-]*)$/.exec(before);
  if (key) {
    const written = new Set(lines.map((l) => /^([\w-]+)\s*:/.exec(l)?.[1]).filter(Boolean));
    const items = Object.entries(properties)
      .filter(([name]) => !written.has(name) && name.startsWith(key[1]))
      .map(([name, node]): CompletionItem => ({ label: name, kind: CompletionItemKind.Property, detail: describe(node), insertText: `${name}: ` }));
    return { isIncomplete: false, items };
  }
  const value = /^([\w-]+):\s*"?([^"]*)$/.exec(before);
  const listItem = /^\s+-\s*([^\s]*)$/.exec(before) ?? /^(?:chapters|appendices):\s*\[(?:[^\]]*,\s*)?([^,\]]*)$/.exec(before);
  const owner = value?.[1] ?? (listItem ? lines.slice(0, line).reverse().map((l) => /^([\w-]+)\s*:/.exec(l)?.[1]).find(Boolean) : undefined);
  const typed = (value?.[2] ?? listItem?.[1] ?? '').toLowerCase();
  const offer = (values: string[], kind: CompletionItemKind, detail?: (value: string) => string | undefined): CompletionList => {
    const matching = values.filter((v) => v.toLowerCase().includes(typed));
    return { isIncomplete: matching.length > LIMIT, items: matching.slice(0, LIMIT).map((v): CompletionItem => ({ label: v, kind, ...(detail?.(v) ? { detail: detail(v) } : {}) })) };
  };
  switch (owner) {
    case 'csl': {
      const library = StyleLibrary.shared();
      if (!library) return { isIncomplete: false, items: [] };
      const titles = (id: string) => library.index.independent[id]?.[0] ?? library.index.dependent[id]?.[0];
      return offer(library.ids().filter((id) => id.includes(typed) || (titles(id) ?? '').toLowerCase().includes(typed)), CompletionItemKind.Value, titles);
    }
    case 'lang':
      return offer(localeTags(), CompletionItemKind.Value);
    case 'template':
      return offer(builtinTemplateNames(), CompletionItemKind.Value);
    case 'chapters':
    case 'appendices': {
      let files: string[] = [];
      try {
        files = fs.readdirSync(thesisDir).filter((name) => name.endsWith('.md'));
      } catch {
        // No thesis/ folder yet.
      }
      const listed = new Set(text.match(/[\w./-]+\.md/g) ?? []);
      return offer(files.filter((name) => !listed.has(name)), CompletionItemKind.File, () => path.join('thesis', ''));
    }
    default:
      return { isIncomplete: false, items: [] };
  }
}
