// The fonts the PDF is set in come from npm packages, so every machine
// typesets the same PDF and Chinese never falls back to empty boxes.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { create } from 'fontkitten';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** Font families in the order the template lists them, with their files. */
export const fontFamilies = [
  { family: 'Noto Serif', package: '@expo-google-fonts/noto-serif', styles: ['400Regular', '400Regular_Italic', '700Bold', '700Bold_Italic'] },
  { family: 'Noto Serif SC', package: '@expo-google-fonts/noto-serif-sc', styles: ['400Regular', '700Bold'] },
  { family: 'Source Code Pro', package: '@expo-google-fonts/source-code-pro', styles: ['400Regular', '400Regular_Italic'] },
] as const;

export function fontDirectories(): string[] {
  return fontFamilies.flatMap((font) => font.styles.map((style) => path.join(packageDir(font.package), style)).filter((dir) => fs.existsSync(dir)));
}

interface Coverage {
  family: string;
  has(codePoint: number): boolean;
}

let coverageCache: Coverage[] | null = null;

/** One regular face per family is enough to know which characters it covers. */
function coverage(): Coverage[] {
  if (coverageCache) return coverageCache;
  const loaded: Coverage[] = fontFamilies.map((font) => {
    const dir = path.join(packageDir(font.package), font.styles[0]);
    const file = fs.readdirSync(dir).find((f) => /\.(ttf|otf)$/i.test(f));
    const face = create(fs.readFileSync(path.join(dir, file!))) as { hasGlyphForCodePoint(codePoint: number): boolean };
    const cache = new Map<number, boolean>();
    return {
      family: font.family,
      has(codePoint: number) {
        let known = cache.get(codePoint);
        if (known === undefined) cache.set(codePoint, (known = face.hasGlyphForCodePoint(codePoint)));
        return known;
      },
    };
  });
  coverageCache = loaded;
  return loaded;
}

const wholeFamilies = new Map<string, string | null>();

/**
 * The family to set a character in when the main font would draw it taken
 * apart: Noto Serif has no ≠ but has = and the combining stroke, so the shaper
 * draws ≠ as = with a stroke over it, and the PDF then maps every = glyph of
 * the thesis to the text "≠" (copying "x = y" from the PDF gave "x ≠ y").
 * Such a character (one with a canonical decomposition the main font can
 * draw, which it lacks whole) goes to the first other family that has it
 * whole; null for every other character.
 */
export function wholeGlyphFamily(ch: string): string | null {
  let known = wholeFamilies.get(ch);
  if (known !== undefined) return known;
  known = null;
  const codePoint = ch.codePointAt(0)!;
  const parts = ch.normalize('NFD');
  const [main, ...others] = coverage();
  if (codePoint >= 0x80 && parts !== ch && !main.has(codePoint) && [...parts].every((part) => main.has(part.codePointAt(0)!))) {
    known = others.find((font) => font.has(codePoint))?.family ?? null;
  }
  wholeFamilies.set(ch, known);
  return known;
}

/**
 * The bundled text family that has a letter with its marks as one glyph (the
 * cluster's composed form), or null. The math font composes such letters from
 * a base and marks, and the PDF then gives that base glyph the cluster's text
 * wherever else it is drawn, or the cluster the base's text (`$x_{ȃ}$` was
 * copied from the PDF as "xa" and a control character).
 */
export function composedGlyphFamily(cluster: string): string | null {
  const composed = cluster.normalize('NFC');
  if ([...composed].length !== 1) return null;
  return coverage().find((font) => font.has(composed.codePointAt(0)!))?.family ?? null;
}

/** Characters no configured font can draw (they would print as empty boxes). */
export function uncoveredCharacters(text: string): Set<string> {
  const missing = new Set<string>();
  const checked = new Set<number>();
  // ASCII is in every text font: only the other characters are looked at (a regular expression finds them
  // in a 200 KB chapter in well under a millisecond; a loop over every character took 3–4 ms a save).
  for (const [ch] of text.matchAll(/[^\x00-\x7f]/gu)) {
    const codePoint = ch.codePointAt(0)!;
    // Whitespace and invisible characters are shaped away; skip the font lookup.
    if (checked.has(codePoint) || /\s/u.test(ch) || isInvisible(codePoint)) continue;
    checked.add(codePoint);
    if (!coverage().some((font) => font.has(codePoint))) missing.add(ch);
  }
  return missing;
}

function isInvisible(codePoint: number): boolean {
  // Joiners, variation selectors, soft hyphen and BOM are shaped away.
  return codePoint === 0xad || codePoint === 0xfeff || (codePoint >= 0x200b && codePoint <= 0x200f) || (codePoint >= 0xfe00 && codePoint <= 0xfe0f);
}
