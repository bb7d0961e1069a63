// The style and language a project asks for, read from thesis.yaml without
// validating it (the main thread does that, and reports what is wrong), so
// the formatting thread can start building its engine while the main thread
// is still loading its own modules.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { defaultConfig } from '../read/config-schema.js';
import { loadStyle, localeFor } from './styles.js';

export function projectStyle(projectDir: string): { styleXml: string; localeTag: string } | null {
  let raw: unknown = null;
  try {
    raw = parse(fs.readFileSync(path.join(projectDir, 'thesis', 'thesis.yaml'), 'utf8'));
  } catch {
    // Missing or invalid: the defaults are the best guess; the main thread reports the problem.
  }
  const config = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const csl = typeof config.csl === 'string' ? config.csl : defaultConfig.csl;
  const lang = typeof config.lang === 'string' ? config.lang : defaultConfig.lang;
  const style = loadStyle(csl, projectDir, { line: 1, column: 1 }, []);
  return style ? { styleXml: style.xml, localeTag: localeFor(lang).tag } : null;
}
