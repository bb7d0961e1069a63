// The glossary written in a YAML file of its own (`glossary: glossary.yaml`
// in thesis.yaml), as theses with many abbreviations keep it: the same map
// of terms as inline, checked against the same schema, each problem at its
// line in that file.
import { Ajv } from 'ajv';
import { diagnostic, type Diagnostic, type Place } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';
import { glossaryByKey, readYamlWithSchema } from './config.js';
import { glossaryEntriesSchema, type ThesisConfig } from './config-schema.js';

const validateGlossary = new Ajv({ allErrors: true, verbose: true }).compile(glossaryEntriesSchema);

export interface ReadGlossary {
  glossary: ThesisConfig['glossary'];
  /** Where a term (by its lower-case key) is defined. */
  placeOf(key: string): Partial<Place>;
}

/** `null` when the file is missing or unusable; the diagnostics say why (at `named`, the thesis.yaml line naming it). */
export function readGlossaryFile(layout: ProjectLayout, inputs: Inputs, name: string, named: Partial<Place>, diagnostics: Diagnostic[]): ReadGlossary | null {
  const file = layout.chapterFile(name);
  if (!inputs.allows(file)) {
    diagnostics.push(diagnostic('path-outside-project', `\`glossary\` names "${name}", which is outside the project folder: the thesis has no glossary; move the file into thesis/`, named));
    return { glossary: {}, placeOf: () => named };
  }
  let text: string;
  try {
    text = inputs.readText(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    diagnostics.push(diagnostic('config-invalid', `\`glossary\` names "${name}", but ${code === 'ENOENT' ? `thesis/${name} does not exist` : `it cannot be read (${code === 'EISDIR' ? 'it is a folder' : code ?? (error as Error).message})`}`, named, { fatal: true }));
    return null;
  }
  const { value, lineOf } = readYamlWithSchema(file, text, validateGlossary, diagnostics, name);
  if (!value) return null;
  const written = new Map(Object.keys(value).map((key) => [key.toLowerCase(), key]));
  return {
    glossary: glossaryByKey(value as ThesisConfig['glossary']),
    placeOf: (key) => ({ file, ...lineOf([written.get(key) ?? key]) }),
  };
}
