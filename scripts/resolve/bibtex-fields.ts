// The fields of one BibTeX entry with their positions, read from the entry's
// own text: what `refs check` points at and what `refs rename` edits, so
// every other byte of the file stays as the writer left it.

export interface BibField {
  /** Lower-cased field name. */
  name: string;
  /** Offset of the name within the entry text. */
  offset: number;
  /** Offset of the value within the entry text. */
  valueOffset: number;
  /** The value as written: `{…}`, `"…"`, a macro name, a number, or `a # b`. */
  raw: string;
}

export interface EntryLayout {
  /** Offset and text of the citation key within the entry text. */
  keyOffset: number;
  key: string;
  fields: BibField[];
}

export function readEntryLayout(entry: string): EntryLayout | null {
  const open = entry.search(/[{(]/);
  if (open < 0) return null;
  let i = open + 1;
  while (/\s/.test(entry[i] ?? '')) i++;
  const keyStart = i;
  while (i < entry.length && entry[i] !== ',' && !/[\s})]/.test(entry[i])) i++;
  const key = entry.slice(keyStart, i);
  const fields: BibField[] = [];
  while (i < entry.length) {
    while (i < entry.length && /[\s,]/.test(entry[i])) i++;
    if (i >= entry.length || entry[i] === '}' || entry[i] === ')') break;
    const nameStart = i;
    while (i < entry.length && /[^\s=,{}()"#]/.test(entry[i])) i++;
    const name = entry.slice(nameStart, i).toLowerCase();
    while (/\s/.test(entry[i] ?? '')) i++;
    if (entry[i] !== '=' || !name) return { keyOffset: keyStart, key, fields };
    i++;
    while (/\s/.test(entry[i] ?? '')) i++;
    const valueStart = i;
    i = skipValue(entry, i);
    fields.push({ name, offset: nameStart, valueOffset: valueStart, raw: entry.slice(valueStart, i).trim() });
  }
  return { keyOffset: keyStart, key, fields };
}

/** Past one value: parts joined by `#`, each braced, quoted or bare. */
function skipValue(text: string, i: number): number {
  while (i < text.length) {
    if (text[i] === '{') i = skipBraced(text, i);
    else if (text[i] === '"') {
      i++;
      let depth = 0;
      while (i < text.length && !(text[i] === '"' && depth === 0 && text[i - 1] !== '\\')) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
        i++;
      }
      i++;
    } else {
      while (i < text.length && /[^\s,#{}()]/.test(text[i])) i++;
    }
    let j = i;
    while (/\s/.test(text[j] ?? '')) j++;
    if (text[j] !== '#') return i;
    i = j + 1;
    while (/\s/.test(text[i] ?? '')) i++;
  }
  return i;
}

function skipBraced(text: string, i: number): number {
  let depth = 0;
  for (; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  return i;
}

/** The text of a simple value without its delimiters (`{2020}` -> `2020`). */
export function unwrapValue(raw: string): string {
  const trimmed = raw.trim();
  if ((trimmed.startsWith('{') && trimmed.endsWith('}')) || (trimmed.startsWith('"') && trimmed.endsWith('"'))) return trimmed.slice(1, -1).trim();
  return trimmed;
}
