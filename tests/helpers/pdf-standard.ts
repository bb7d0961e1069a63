// The requirements of PDF/A-2 read one by one from a PDF with pdf-lib, a
// parser we did not write (no PDF/A validator runs offline from npm or
// Debian: veraPDF needs Java and a download). Each check returns a failure
// text, or nothing when the requirement holds.
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream, PDFString, PDFHexString } from 'pdf-lib';

export interface PdfStandardReport {
  /** The XMP identification: `pdfaid:part` and `pdfaid:conformance`, or `pdfuaid:part`. */
  part?: string;
  conformance?: string;
  uaPart?: string;
  /** The document's language, title and author as the PDF states them. */
  language?: string;
  title?: string;
  keywords?: string;
  /** Requirements that do not hold. */
  failures: string[];
}

function streamText(stream: PDFStream): string {
  const bytes = stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : stream.getContents();
  return Buffer.from(bytes).toString('utf8');
}

export async function readPdfStandard(data: Uint8Array): Promise<PdfStandardReport> {
  const pdf = await PDFDocument.load(data, { updateMetadata: false, ignoreEncryption: true });
  const failures: string[] = [];
  const context = pdf.context;
  const catalog = pdf.catalog;
  const resolve = (value: unknown): unknown => (value instanceof PDFRef ? context.lookup(value) : value);

  // 1. No encryption.
  if (context.trailerInfo.Encrypt) failures.push('the file is encrypted');

  // 2. XMP metadata with the PDF/A identification.
  const found = resolve(catalog.get(PDFName.of('Metadata')));
  const metadata = found instanceof PDFStream ? found : undefined;
  const xmp = metadata ? streamText(metadata) : '';
  if (!metadata) failures.push('no XMP metadata stream in the catalog');
  const field = (name: string) => new RegExp(`${name}(?:>|=")([^<"]+)`).exec(xmp)?.[1];

  // 3. An output intent with an ICC profile.
  const intents = resolve(catalog.get(PDFName.of('OutputIntents')));
  const first = intents instanceof PDFArray ? resolve(intents.get(0)) : undefined;
  const intent = first instanceof PDFDict ? first : undefined;
  if (!intent) failures.push('no output intent');
  else {
    if (intent.get(PDFName.of('S'))?.toString() !== '/GTS_PDFA1') failures.push('the output intent is not GTS_PDFA1');
    if (!(resolve(intent.get(PDFName.of('DestOutputProfile'))) instanceof PDFStream)) failures.push('the output intent has no ICC profile');
  }

  // 4. Every font embedded: each font descriptor holds a font file.
  let fonts = 0;
  for (const [, object] of context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : undefined;
    if (dict?.get(PDFName.of('Type'))?.toString() !== '/FontDescriptor') continue;
    fonts++;
    const embedded = ['FontFile', 'FontFile2', 'FontFile3'].some((key) => dict.get(PDFName.of(key)));
    if (!embedded) failures.push(`font ${dict.get(PDFName.of('FontName'))?.toString() ?? '?'} is not embedded`);
  }
  if (fonts === 0) failures.push('no font descriptors found');

  const lang = catalog.get(PDFName.of('Lang'));
  const text = (value: unknown) => (value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined);
  return {
    part: field('pdfaid:part'),
    conformance: field('pdfaid:conformance'),
    uaPart: field('pdfuaid:part'),
    language: text(lang),
    title: pdf.getTitle(),
    keywords: pdf.getKeywords(),
    failures,
  };
}
