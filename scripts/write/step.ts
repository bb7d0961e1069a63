// The write step: outputs into dist/. Each file is written to a temporary
// file and renamed, so a reader never sees half a file; the pipeline only
// writes the PDF when the build has no errors, so a failed build leaves the
// previous PDF in place.
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { ProjectLayout } from '../core/layout.js';
import { writeFileAtomic } from '../core/write-atomic.js';

export function writePdf(layout: ProjectLayout, pdf: Buffer, file = layout.pdfFile): { written: string | null; diagnostics: Diagnostic[] } {
  return write(file, pdf, 'the PDF');
}

/** The generated Typst (`build --typst`), written even when Typst then fails: that is when it is wanted. */
export function writeGeneratedTypst(layout: ProjectLayout, main: string): { written: string | null; diagnostics: Diagnostic[] } {
  return write(layout.typstFile, main, 'the generated Typst');
}

function write(file: string, data: string | Buffer, what: string): { written: string | null; diagnostics: Diagnostic[] } {
  try {
    writeFileAtomic(file, data);
    return { written: file, diagnostics: [] };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { written: null, diagnostics: [diagnostic('output-unwritable', `cannot write ${what}: ${code}; check that dist/ is writable`, { file })] };
  }
}
