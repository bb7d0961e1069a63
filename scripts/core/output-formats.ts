// The outputs a thesis is written to, in one table: the PDF (Typst), and the
// formats Pandoc writes from the same parsed thesis (export/). The command
// line's `--to`, the deadline check's "is it older than its sources" and the
// export step all read this table.

export const outputFormats = {
  pdf: { file: 'thesis.pdf', what: 'the typeset thesis (Typst)' },
  docx: { file: 'thesis.docx', what: 'Word, for a supervisor\'s comments and tracked changes' },
  html: { file: 'thesis.html', what: 'one self-contained web page' },
  odt: { file: 'thesis.odt', what: 'OpenDocument (LibreOffice)' },
  epub: { file: 'thesis.epub', what: 'an e-book' },
} as const;

export type OutputFormat = keyof typeof outputFormats;

/** The formats Pandoc writes: every output but the PDF. */
export type ExportFormat = Exclude<OutputFormat, 'pdf'>;

export const outputFormatNames = Object.keys(outputFormats) as OutputFormat[];

export const exportFormatNames = outputFormatNames.filter((format): format is ExportFormat => format !== 'pdf');

export function isExportFormat(format: string): format is ExportFormat {
  return (exportFormatNames as string[]).includes(format);
}
