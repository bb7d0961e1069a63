// Reads thesis.yaml once, validates it against the schema and reports every
// problem at the line of the key it is about.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';
import { closest } from '../core/suggest.js';
import { parseIsoDate } from './dates.js';
import {
  chapterStatuses,
  configSchema,
  defaultConfig,
  type AbstractConfig,
  type ChapterStatus,
  type MilestoneConfig,
  type ThesisConfig,
} from './config-schema.js';

export interface LoadedConfig {
  config: ThesisConfig;
  /** Absent when the project has no thesis.yaml and runs on defaults. */
  file?: string;
  /** 1-based line of a key path such as ['milestones', 0, 'due']. */
  lineOf(keyPath: (string | number)[]): { line: number; column: number };
}

// `verbose` gives each error its schema, whose `description` names what an `anyOf` accepts.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, verbose: true });
const validate = ajv.compile(configSchema);


/**
 * A YAML file checked against a JSON schema: its value, or `null` when it is
 * not valid YAML or breaks the schema (each problem reported at its line),
 * and where each key path is written.
 */
export function readYamlWithSchema(
  file: string,
  text: string,
  validateValue: ValidateFunction,
  diagnostics: Diagnostic[],
  what = 'thesis.yaml',
): { value: Record<string, unknown> | null; lineOf: LoadedConfig['lineOf'] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = makeLineOf(doc, lineCounter);
  for (const error of doc.errors) {
    const pos = lineCounter.linePos(error.pos[0]);
    diagnostics.push(
      diagnostic('config-invalid', `invalid YAML: ${firstLine(error.message)}`, {
        file,
        line: pos.line,
        column: pos.col,
      }, { fatal: true }),
    );
  }
  if (doc.errors.length > 0) return { value: null, lineOf };
  let raw: unknown;
  try {
    // Aliases expanded at most 100 times: a "billion laughs" file is refused, not expanded.
    raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const alias = /[*&][A-Za-z]/.exec(text);
    const at = alias ? lineCounter.linePos(alias.index) : { line: 1, col: 1 };
    diagnostics.push(diagnostic('config-invalid', `${what} cannot be read: ${firstLine((error as Error).message).replace(/\.$/, '')} (too many YAML aliases)`, { file, line: at.line, column: at.col }, { fatal: true }));
    return { value: null, lineOf };
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    diagnostics.push(diagnostic('config-invalid', `${what} must be a mapping of keys to values`, { file, line: 1, column: 1 }, { fatal: true }));
    return { value: null, lineOf };
  }
  if (!validateValue(raw)) {
    for (const error of usefulErrors(validateValue.errors ?? [])) {
      const keyPath = instancePathToKeys(error);
      diagnostics.push(
        diagnostic('config-invalid', describeSchemaError(error, what), { file, ...lineOf(keyPath) }, { fatal: true }),
      );
    }
    return { value: null, lineOf };
  }
  return { value: raw as Record<string, unknown>, lineOf };
}

/** Parse and validate; `null` config when the file is unusable (diagnostics say why). */
function loadConfig(
  file: string,
  text: string,
  diagnostics: Diagnostic[],
): LoadedConfig | null {
  const { value: raw, lineOf } = readYamlWithSchema(file, text, validate, diagnostics);
  if (!raw) return null;
  const config = normalise(raw);
  if (raw.institute !== undefined && raw.institution !== undefined && config.institution !== instituteText(raw.institute)) {
    diagnostics.push(diagnostic('config-invalid', '`institute` (Pandoc\'s name) and `institution` both name the institution; `institution` is used, remove one', { file, ...lineOf(['institute']) }, { severity: 'warning' }));
  }
  const before = diagnostics.length;
  validateMilestones(config, file, lineOf, diagnostics);
  if (diagnostics.length > before && diagnostics.slice(before).some((d) => d.fatal)) return null;
  return { config, file, lineOf };
}

function normalise(raw: Record<string, unknown>): ThesisConfig {
  const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
  return {
    ...defaultConfig,
    ...(raw as Partial<ThesisConfig>),
    title: String(raw.title ?? ''),
    institution: raw.institution === undefined ? instituteText(raw.institute) : String(raw.institution),
    author: String(raw.author ?? ''),
    semester: raw.semester === undefined ? undefined : String(raw.semester),
    date: raw.date === undefined ? undefined : String(raw.date),
    chapters: typeof raw.chapters === 'boolean' ? [] : list(raw.chapters),
    chapters_numbering: typeof raw.chapters === 'boolean' ? raw.chapters : undefined,
    appendices: list(raw.appendices),
    bibliography: list(raw.bibliography),
    nocite: list(raw.nocite),
    keywords: list(raw.keywords),
    glossary: typeof raw.glossary === 'string' ? {} : glossaryByKey(raw.glossary as ThesisConfig['glossary'] | undefined),
    glossaryFile: typeof raw.glossary === 'string' ? raw.glossary : undefined,
    abstract: raw.abstract === undefined ? [] : typeof raw.abstract === 'string' ? [{ text: raw.abstract }] : (raw.abstract as AbstractConfig[]),
    milestones: ((raw.milestones as MilestoneConfig[] | undefined) ?? []).map((m) => ({ ...m, chapters: m.chapters ?? [] })),
  };
}

/** Pandoc's `institute`: one name, or a list (its Beamer template's form) joined. */
function instituteText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

/** Keys are looked up in lower case, as `[+AI]` and `[+ai]` are one term. */
export function glossaryByKey(entries: ThesisConfig['glossary'] | undefined): ThesisConfig['glossary'] {
  return Object.fromEntries(Object.entries(entries ?? {}).map(([key, entry]) => [key.toLowerCase(), entry]));
}

function validateMilestones(
  config: ThesisConfig,
  file: string,
  lineOf: LoadedConfig['lineOf'],
  diagnostics: Diagnostic[],
): void {
  let previous: { date: Date; index: number } | undefined;
  config.milestones.forEach((milestone, index) => {
    const due = parseIsoDate(milestone.due);
    if (!due) {
      diagnostics.push(
        diagnostic(
          'milestone-invalid',
          `milestone "${milestone.title}": due date "${milestone.due}" is not a valid date; write it as YYYY-MM-DD, e.g. 2020-06-30`,
          { file, ...lineOf(['milestones', index, 'due']) },
          { fatal: true },
        ),
      );
    } else {
      if (previous && due < previous.date) {
        diagnostics.push(
          diagnostic(
            'milestone-invalid',
            `milestone "${milestone.title}" is due ${milestone.due}, before the milestone above it (${config.milestones[previous.index].due}); list milestones in date order`,
            { file, ...lineOf(['milestones', index, 'due']) },
            { fatal: true },
          ),
        );
      }
      previous = { date: due, index };
    }
    if (milestone.status !== undefined && !chapterStatuses.includes(milestone.status as ChapterStatus)) {
      diagnostics.push(
        diagnostic(
          'milestone-invalid',
          `milestone "${milestone.title}": unknown status "${milestone.status}", expected one of ${chapterStatuses.join(', ')}`,
          { file, ...lineOf(['milestones', index, 'status']) },
          { fatal: true },
        ),
      );
    }
    milestone.chapters.forEach((chapter, chapterIndex) => {
      if (config.chapters.length > 0 && !config.chapters.includes(chapter)) {
        diagnostics.push(
          diagnostic(
            'milestone-invalid',
            `milestone "${milestone.title}" names chapter "${chapter}", which is not in \`chapters\``,
            { file, ...lineOf(['milestones', index, 'chapters', chapterIndex]) },
            { fatal: true, actual: chapter, expected: closest(chapter, config.chapters) },
          ),
        );
      }
    });
  });
}

function makeLineOf(doc: Document, lineCounter: LineCounter): LoadedConfig['lineOf'] {
  return (keyPath) => {
    // The key itself, when the path ends in a key of a mapping.
    const parent = keyPath.length === 1 ? doc.contents : doc.getIn(keyPath.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === keyPath[keyPath.length - 1]);
      if (pair && isNode(pair.key) && pair.key.range) {
        const pos = lineCounter.linePos(pair.key.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    // Walk down as far as the path exists; report the deepest node found.
    for (let depth = keyPath.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(keyPath.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
    return { line: 1, column: 1 };
  };
}

function instancePathToKeys(error: ErrorObject): (string | number)[] {
  const keys: (string | number)[] = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
  if (error.keyword === 'additionalProperties') keys.push((error.params as { additionalProperty: string }).additionalProperty);
  if (error.keyword === 'propertyNames') keys.push((error.params as { propertyName: string }).propertyName);
  return keys;
}

/**
 * The errors worth a message. Ajv reports an `anyOf` with every branch's
 * complaint; when one branch has the value's type (a list of abstracts with
 * a bad `lang`), its own complaints are the message, else one message says
 * what the key accepts (the schema's `description`).
 */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const anyOf of errors.filter((error) => error.keyword === 'anyOf')) {
    const inside = errors.filter((error) => error.schemaPath.startsWith(anyOf.schemaPath + '/'));
    const branches = new Map<string, ErrorObject[]>();
    for (const error of inside) {
      const branch = error.schemaPath.slice(anyOf.schemaPath.length + 1).split('/')[0];
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const fitting = [...branches.values()].find((branch) => !branch.some((error) => error.instancePath === anyOf.instancePath && error.keyword === 'type'));
    for (const error of inside) if (!fitting?.includes(error)) dropped.add(error);
    if (fitting) dropped.add(anyOf);
  }
  // A key that breaks `propertyNames` is reported once, not again by its pattern.
  for (const error of errors) if (error.keyword === 'pattern' && error.propertyName !== undefined) dropped.add(error);
  return errors.filter((error) => !dropped.has(error));
}

function describeSchemaError(error: ErrorObject, file: string): string {
  const where = error.instancePath ? `\`${error.instancePath.slice(1).replace(/\//g, '.')}\`` : file;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
      const near = closest(key, known);
      return `unknown key \`${key}\` in ${where}${near.length ? `; did you mean \`${near[0]}\`?` : ''}`;
    }
    case 'required':
      return `${where} is missing the required key \`${(error.params as { missingProperty: string }).missingProperty}\``;
    case 'type':
      return `${where} must be ${(error.params as { type: string }).type}`;
    case 'pattern':
      return `${where} must be ${(error.parentSchema as { description?: string } | undefined)?.description ?? `text matching ${(error.params as { pattern: string }).pattern}`}`;
    case 'anyOf':
      return `${where} must be ${(error.parentSchema as { description?: string } | undefined)?.description ?? 'of another kind'}`;
    case 'propertyNames':
      return `${where}: "${(error.params as { propertyName: string }).propertyName}" cannot be a key here (letters, digits, - and _, starting with a letter)`;
    case 'enum':
      return `${where} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/** thesis.yaml, loaded: `undefined` when the project has none (defaults apply), `null` when it is unusable. */
export function readConfigFile(layout: ProjectLayout, inputs: Inputs): { loaded: LoadedConfig | null | undefined; diagnostics: Diagnostic[] } {
  const file = layout.configFile;
  const diagnostics: Diagnostic[] = [];
  let text: string;
  try {
    text = inputs.readText(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { loaded: undefined, diagnostics };
    diagnostics.push(diagnostic('config-invalid', `cannot read thesis.yaml: ${(error as Error).message}`, { file, line: 1, column: 1 }, { fatal: true }));
    return { loaded: null, diagnostics };
  }
  const loaded = loadConfig(file, text, diagnostics);
  return { loaded, diagnostics };
}
