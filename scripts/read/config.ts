// Reads thesis.yaml once, validates it against the schema and reports every
// problem at the line of the key it is about.
import { Ajv, type ErrorObject } from 'ajv';
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

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(configSchema);


/** Parse and validate; `null` config when the file is unusable (diagnostics say why). */
function loadConfig(
  file: string,
  text: string,
  diagnostics: Diagnostic[],
): LoadedConfig | null {
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
  if (doc.errors.length > 0) return null;
  const raw = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    diagnostics.push(diagnostic('config-invalid', 'thesis.yaml must be a mapping of keys to values', { file, line: 1, column: 1 }, { fatal: true }));
    return null;
  }
  if (!validate(raw)) {
    for (const error of validate.errors ?? []) {
      const keyPath = instancePathToKeys(error);
      diagnostics.push(
        diagnostic('config-invalid', describeSchemaError(error), { file, ...lineOf(keyPath) }, { fatal: true }),
      );
    }
    return null;
  }
  const config = normalise(raw as Record<string, unknown>);
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
    author: String(raw.author ?? ''),
    semester: raw.semester === undefined ? undefined : String(raw.semester),
    date: raw.date === undefined ? undefined : String(raw.date),
    chapters: list(raw.chapters),
    appendices: list(raw.appendices),
    bibliography: list(raw.bibliography),
    nocite: list(raw.nocite),
    keywords: list(raw.keywords),
    // Keys are looked up in lower case, as `[+AI]` and `[+ai]` are one term.
    glossary: Object.fromEntries(Object.entries((raw.glossary as ThesisConfig['glossary'] | undefined) ?? {}).map(([key, entry]) => [key.toLowerCase(), entry])),
    abstract: raw.abstract === undefined ? [] : typeof raw.abstract === 'string' ? [{ text: raw.abstract }] : (raw.abstract as AbstractConfig[]),
    milestones: ((raw.milestones as MilestoneConfig[] | undefined) ?? []).map((m) => ({ ...m, chapters: m.chapters ?? [] })),
  };
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
  return keys;
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath ? `\`${error.instancePath.slice(1).replace(/\//g, '.')}\`` : 'thesis.yaml';
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown key \`${(error.params as { additionalProperty: string }).additionalProperty}\` in ${where}`;
    case 'required':
      return `${where} is missing the required key \`${(error.params as { missingProperty: string }).missingProperty}\``;
    case 'type':
      return `${where} must be ${(error.params as { type: string }).type}`;
    case 'pattern':
      return `${where} is not a language tag such as en-US`;
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
