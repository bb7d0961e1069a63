// Finding the CSL style a thesis asks for: a style of the CSL project by its
// id (`csl: chicago-author-date`, `ieee`, `din-1505-2`, shipped in styles/),
// or a .csl file of the project's own (a university's style, kept in
// templates/). A dependent style, by id or as a file, is resolved to its
// parent offline.
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';
import { closest } from '../core/suggest.js';
import { isDependentStyle, StyleLibrary } from './style-library.js';

export interface CitationStyle {
  name: string;
  xml: string;
  /** A note style puts citations in footnotes (Chicago notes, OSCOLA, …). */
  isNoteStyle: boolean;
  /** The file it came from, for diagnostics and watching; absent for the CSL project's styles. */
  file?: string;
}

type Place = { file?: string; line: number; column: number };

/** Where a university's own style goes, said wherever a style is not found. */
const ownStyleHint = 'a .csl file of your own goes in templates/ and is named with its extension (csl: templates/my-university.csl)';

/** The style `csl` names: a file (a name ending in .csl, or a path) read through the build's Inputs, or a style id. */
export function loadStyle(csl: string, layout: ProjectLayout, inputs: Inputs, configPlace: Place): { style: CitationStyle | null; diagnostics: Diagnostic[] } {
  const library = StyleLibrary.shared();
  const namesFile = /\.csl$/i.test(csl) || /[\\/]/.test(csl);
  if (!namesFile) {
    const known = library?.style(csl);
    if (known) return { style: describeStyle(known.id, known.xml), diagnostics: [] };
  }
  // As Pandoc does, a bare name may also be a file with .csl added.
  const candidates = [...layout.styleCandidates(csl), ...(namesFile ? [] : layout.styleCandidates(`${csl}.csl`))];
  const file = candidates.find((candidate) => inputs.exists(candidate));
  if (file && !inputs.allows(file)) {
    const apa = library?.style('apa');
    return {
      style: apa ? describeStyle(apa.id, apa.xml) : null,
      diagnostics: [diagnostic('path-outside-project', `citation style "${csl}" is outside the project folder (a thesis reads only its own files): APA is used; copy the .csl file into templates/`, configPlace, { fatal: !apa })],
    };
  }
  if (!file) return { style: null, diagnostics: [styleNotFound(csl, namesFile, library, configPlace)] };
  const xml = inputs.readText(file);
  const at = { file, line: 1, column: 1 };
  if (/<style[\s>]/.test(xml) && isDependentStyle(xml)) {
    const parent = library?.parentOf(xml);
    if (!parent) return { style: null, diagnostics: [diagnostic('style-invalid', `${path.basename(file)} is a dependent style whose parent is not among the ${library?.size ?? 0} CSL styles shipped with the toolchain: put the parent's .csl file in templates/ and name it instead`, at, { fatal: true })] };
    return { style: { ...describeStyle(path.basename(file, '.csl'), parent.xml), file }, diagnostics: [] };
  }
  if (!/<style[\s>]/.test(xml) || !/<citation[\s>]/.test(xml)) {
    return { style: null, diagnostics: [diagnostic('style-invalid', `${path.basename(file)} is not a CSL style: it has no <style> with a <citation>`, at, { fatal: true })] };
  }
  return { style: { ...describeStyle(path.basename(file, '.csl'), xml), file }, diagnostics: [] };
}

function styleNotFound(csl: string, namesFile: boolean, library: StyleLibrary | null, place: Place): Diagnostic {
  if (namesFile) return diagnostic('style-missing', `citation style file "${csl}" not found (looked in the project folder, thesis/ and templates/); ${ownStyleHint}`, place, { fatal: true });
  const near = library ? closest(csl, library.ids()) : [];
  const guess = near.length > 0 ? `did you mean ${near.map((id) => `"${id}"`).join(', ')}? ` : '';
  const where = library ? `the CSL project's ${library.size} styles are named by their id (chicago-author-date, ieee, modern-language-association, din-1505-2, …; search at https://www.zotero.org/styles)` : 'the toolchain\'s styles/ folder is missing';
  return diagnostic('style-missing', `citation style "${csl}" not found: ${guess}${where}; ${ownStyleHint}`, place, { fatal: true });
}

function describeStyle(name: string, xml: string): CitationStyle {
  return { name, xml, isNoteStyle: /<style[^>]*\bclass="note"/.test(xml) };
}
