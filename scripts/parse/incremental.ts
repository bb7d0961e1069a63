// Parsing for watch: a saved chapter is cut into sections (sections.ts) and
// only the sections whose text changed are parsed again; the others are
// reused, moved to their new lines. The result is the same tree as parsing
// the chapter whole (tests/incremental-parse.test.ts holds it to that).
import { assembleChapter, parseChapter, parseSection, type ParsedChapter, type ParsedSection } from './markdown.js';
import { splitSections, type SourceSection } from './sections.js';

interface ChapterSections {
  text: string;
  parsed: ParsedChapter;
  /** The footnote and link labels the chapter defines, which every section is parsed with. */
  definitions: string[];
  /** Parsed sections by their text. */
  sections: Map<string, ParsedSection[]>;
}

export class IncrementalParser {
  private readonly chapters = new Map<string, ChapterSections>();

  parse(file: string, text: string): ParsedChapter {
    const previous = this.chapters.get(file);
    if (previous?.text === text) return previous.parsed;
    const cut = splitSections(text);
    if (!cut) {
      // Cannot be cut safely: parsed whole, and kept whole until its text changes.
      const parsed = parseChapter(file, text);
      this.chapters.set(file, { text, parsed, definitions: [], sections: new Map() });
      return parsed;
    }
    let definitions = previous?.sections.size ? previous.definitions : likelyDefinitions(text);
    let reusable = previous?.sections ?? new Map<string, ParsedSection[]>();
    let parsedSections = this.parseSections(cut, definitions, reusable);
    const found = [...new Set(parsedSections.flatMap(({ parsed }) => parsed.definitions))].sort();
    if (found.join('\n') !== definitions.join('\n')) {
      // A footnote or link definition came or went: every section may read its references differently.
      definitions = found;
      reusable = new Map();
      parsedSections = this.parseSections(cut, definitions, reusable);
    }
    const sections = new Map<string, ParsedSection[]>();
    for (const { parsed, text: sectionText } of parsedSections) sections.set(sectionText, [...(sections.get(sectionText) ?? []), parsed]);
    const parsed = assembleChapter(file, text, parsedSections);
    this.chapters.set(file, { text, parsed, definitions, sections });
    return parsed;
  }

  private parseSections(cut: SourceSection[], definitions: string[], reusable: Map<string, ParsedSection[]>) {
    // Each earlier parse can be used once: two sections with the same text get a tree each.
    const available = new Map([...reusable].map(([text, parsed]) => [text, [...parsed]]));
    return cut.map((section) => {
      const parsed = available.get(section.text)?.shift() ?? parseSection(section.text, definitions);
      return { parsed, text: section.text, line: section.line, offset: section.offset };
    });
  }
}

/** A first guess at the labels a chapter defines, checked against the parse. */
function likelyDefinitions(text: string): string[] {
  return [...new Set([...text.matchAll(/^ {0,3}\[(\^?[^\]\n]+)\]:/gm)].map((match) => match[1]))].sort();
}
