// Finding the CSL style and locale a thesis asks for: a built-in name (apa,
// vancouver, harvard1) or a .csl file, and a locale for `lang`.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';

const require = createRequire(import.meta.url);
const builtinStyles = require('@citation-js/plugin-csl/lib/styles.json') as Record<string, string>;

export interface CitationStyle {
  name: string;
  xml: string;
  /** A note style puts citations in footnotes (Chicago notes, OSCOLA, …). */
  isNoteStyle: boolean;
  /** The file it came from, for diagnostics and watching; absent for built-ins. */
  file?: string;
}

/** The style `csl` names: a built-in, or a file read through the build's Inputs. */
export function loadStyle(
  csl: string,
  layout: ProjectLayout,
  inputs: Inputs,
  configPlace: { file?: string; line: number; column: number },
): { style: CitationStyle | null; diagnostics: Diagnostic[] } {
  const builtin = builtinStyles[csl.replace(/\.csl$/, '')];
  if (builtin && !csl.endsWith('.csl')) return { style: describeStyle(csl, builtin), diagnostics: [] };
  const found = layout.styleCandidates(csl).find((candidate) => inputs.exists(candidate) && fs.statSync(candidate).isFile());
  if (found && !inputs.allows(found)) {
    return { style: describeStyle('apa', builtinStyles.apa), diagnostics: [diagnostic('path-outside-project', `citation style "${csl}" is outside the project folder (a thesis reads only its own files): APA is used; copy the .csl file into templates/`, configPlace)] };
  }
  const file = found;
  if (!file) {
    return {
      style: null,
      diagnostics: [
        diagnostic(
          'style-missing',
          `citation style "${csl}" not found: name a built-in style (${Object.keys(builtinStyles).join(', ')}) or a .csl file relative to the project`,
          configPlace,
          { fatal: true },
        ),
      ],
    };
  }
  const xml = inputs.readText(file);
  if (!/<style[\s>]/.test(xml) || !/<citation[\s>]/.test(xml)) {
    return { style: null, diagnostics: [diagnostic('style-invalid', `${path.basename(file)} is not a CSL style: it has no <style> with a <citation>`, { file, line: 1, column: 1 }, { fatal: true })] };
  }
  return { style: { ...describeStyle(path.basename(file, '.csl'), xml), file }, diagnostics: [] };
}

function describeStyle(name: string, xml: string): CitationStyle {
  return { name, xml, isNoteStyle: /<style[^>]*\bclass="note"/.test(xml) };
}


