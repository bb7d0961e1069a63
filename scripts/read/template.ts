// Which Typst template a thesis is typeset with (`template:` in thesis.yaml).
// A name is the project's own `templates/NAME.typ` when it has one, else the
// toolchain's built-in template of that name; a `.typ` path is a file in the
// project. A toolchain template is mapped into the project's tree at
// `templates/NAME.typ`, so the generated file imports every template alike.
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic, type Place } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import { toolchainLayout, type ProjectLayout } from '../core/layout.js';
import { closest } from '../core/suggest.js';

export interface TemplateChoice {
  /** The file whose text is the template: the project's own or the toolchain's. */
  file: string;
  /** Where it sits in the tree Typst sees (a toolchain template is mapped here). */
  projectPath: string;
  /** The path the generated main file imports it by, from the project's root. */
  importPath: string;
}

const toolchainTemplatesDir = path.dirname(toolchainLayout.templateFile);

/** The built-in templates, by name: `thesis`, `diplomarbeit`, … */
export function builtinTemplateNames(): string[] {
  return fs
    .readdirSync(toolchainTemplatesDir)
    .filter((name) => name.endsWith('.typ'))
    .map((name) => name.slice(0, -'.typ'.length))
    .sort((a, b) => (a === 'thesis' ? -1 : b === 'thesis' ? 1 : a.localeCompare(b)));
}

export function chooseTemplate(layout: ProjectLayout, inputs: Inputs, name: string, place: Partial<Place>): { template: TemplateChoice | null; diagnostics: Diagnostic[] } {
  const fail = (message: string, extra: Partial<Diagnostic> = {}) => ({ template: null, diagnostics: [diagnostic('config-invalid', message, place, { fatal: true, ...extra })] });
  if (name.endsWith('.typ')) {
    const file = path.resolve(layout.root, name);
    const relative = path.relative(layout.root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return outsideProject(`\`template\`: "${name}" is outside the project folder`, layout, place);
    if (!inputs.exists(file)) return fail(`\`template\`: ${relative.split(path.sep).join('/')} does not exist`);
    if (!inputs.allows(file)) return outsideProject(`\`template\`: "${name}" leads outside the project folder (a symbolic link)`, layout, place);
    return { template: { file, projectPath: file, importPath: '/' + relative.split(path.sep).join('/') }, diagnostics: [] };
  }
  if (!/^[A-Za-z0-9][\w-]*$/.test(name)) return fail(`\`template\`: "${name}" is neither a template's name (such as thesis) nor a .typ file`);
  const projectPath = path.join(layout.templatesDir, `${name}.typ`);
  const importPath = `/templates/${name}.typ`;
  if (inputs.exists(projectPath)) {
    if (!inputs.allows(projectPath)) return outsideProject(`templates/${name}.typ leads outside the project folder (a symbolic link)`, layout, place);
    return { template: { file: projectPath, projectPath, importPath }, diagnostics: [] };
  }
  const builtin = builtinTemplateNames();
  if (builtin.includes(name)) return { template: { file: path.join(toolchainTemplatesDir, `${name}.typ`), projectPath, importPath }, diagnostics: [] };
  return fail(`no template "${name}": neither templates/${name}.typ in the project nor a built-in one (${builtin.join(', ')})`, { actual: name, expected: closest(name, builtin) });
}

/** A template outside the project is not read: the built-in one typesets the thesis, with a warning. */
function outsideProject(message: string, layout: ProjectLayout, place: Partial<Place>): { template: TemplateChoice; diagnostics: Diagnostic[] } {
  return {
    template: { file: toolchainLayout.templateFile, projectPath: path.join(layout.templatesDir, 'thesis.typ'), importPath: '/templates/thesis.typ' },
    diagnostics: [diagnostic('path-outside-project', `${message} (a thesis reads only its own files): the built-in template is used; copy yours into templates/`, place)],
  };
}
