// Our default Word styles: Pandoc's reference document is a web-article
// look (Calibri/Cambria themes, blue headings, no justification); a thesis
// in Word is expected in a serif at 12 pt, one-and-a-half spaced, justified,
// with black headings. Applied to the styles.xml Pandoc writes when the
// thesis names no `reference-doc` of its own (which is then used as it is).
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

const serif = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="SimSun" />';

/** styles.xml with the thesis look. */
export function thesisStyles(styles: string): string {
  let xml = styles
    // Every theme font becomes the serif.
    .replace(/<w:rFonts w:asciiTheme="[^"]*"[^>]*\/>/g, serif)
    // One-and-a-half spacing, no gap after a line (paragraph styles add their own).
    .replace(/(<w:pPrDefault>\s*<w:pPr>\s*)<w:spacing [^>]*\/>/, '$1<w:spacing w:after="0" w:line="360" w:lineRule="auto" />');
  xml = xml.replace(/<w:style [^>]*w:styleId="([^"]+)"[^>]*>[\s\S]*?<\/w:style>/g, (style, id: string) => {
    // Headings and titles in black, as printed theses have them.
    if (/^(Heading\d|Title|Subtitle|TOCHeading|AbstractTitle)/.test(id)) return style.replace(/<w:color [^>]*\/>/g, '');
    // Body text justified, with a little space after each paragraph.
    if (id === 'BodyText') return style.replace(/<w:pPr>[\s\S]*?<\/w:pPr>/, '<w:pPr><w:spacing w:before="0" w:after="120" /><w:jc w:val="both" /></w:pPr>');
    return style;
  });
  return xml;
}

/** A .docx with its styles.xml given the thesis look. */
export function withThesisStyles(docx: Uint8Array): Uint8Array {
  const files = unzipSync(docx);
  const styles = files['word/styles.xml'];
  if (!styles) return docx;
  files['word/styles.xml'] = strToU8(thesisStyles(strFromU8(styles)));
  return zipSync(files);
}
