// The export step: the parsed, resolved and formatted thesis -> Word, HTML,
// ODT or EPUB through Pandoc, written to dist/ beside the PDF. The same
// chapters and the same formatted citations as the PDF; the numbers of
// headings, figures and equations worked out as the template numbers them,
// and the words before them ("Figure", "Tabelle") asked of Typst.
import { exportFormatNames } from '../core/output-formats.js';
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import { linkedFile, type ProjectLayout } from '../core/layout.js';
import { writeFileAtomic } from '../core/write-atomic.js';
import { toolchainDir } from '../core/toolchain-dir.js';
import type { Supplements } from '../compile/typst-compiler.js';
import type { FormattedCitations } from '../format/citeproc.js';
import { parseChapter } from '../parse/markdown.js';
import type { Chapter } from '../parse/step.js';
import type { Project } from '../read/project.js';
import { languageOf } from '../core/language.js';
import { collectMathMacros, expandThesisMacros } from '../render/handlers/math.js';
import { isRemote } from '../resolve/images.js';
import { exportDocument, type ExportFormat } from './document.js';
import { numberThesis } from './numbering.js';
import { runPandoc } from './pandoc-runner.js';
import { withThesisStyles } from './word-styles.js';

export const exportFormats: readonly ExportFormat[] = exportFormatNames;

/** The stylesheet of the HTML output: the contents as a sidebar beside the text. */
const htmlStylesheet = path.join(toolchainDir, 'templates', 'html', 'thesis.css');

export interface ExportResult {
  written: string[];
  diagnostics: Diagnostic[];
}

export class ExportStep {
  constructor(private readonly layout: ProjectLayout) {}

  async run(
    project: Project,
    chapters: Chapter[],
    formatted: FormattedCitations,
    options: { formats: readonly ExportFormat[]; supplements: Supplements; inputs: Inputs; baseName?: string; raw?: boolean },
  ): Promise<ExportResult> {
    const diagnostics: Diagnostic[] = [];
    const written: string[] = [];
    const { config } = project;
    const numbers = numberThesis(
      chapters.map((chapter) => ({ tree: chapter.tree, title: chapter.frontMatter.title, appendix: chapter.appendix })),
      options.supplements,
      languageOf(config.lang).words.appendix,
    );
    const macros = collectMathMacros(chapters.map((chapter) => chapter.tree));
    const frontParts = project.frontMatter.map((part) => ({ part, tree: parseChapter(part.file, part.text).tree }));

    // The images the thesis shows, given to Pandoc under their paths in the project.
    const images = new Map<string, Uint8Array>();
    const imageNames = new Map<string, string>();
    const imageFile = (chapterFile: string, url: string): string | null => {
      if (isRemote(url)) return null;
      const file = linkedFile(chapterFile, url);
      const relative = path.relative(this.layout.root, file);
      if (relative.startsWith('..') || path.isAbsolute(relative) || !options.inputs.allows(file) || !options.inputs.exists(file)) return null;
      // Pandoc's in-memory file system (pandoc-wasm) has no folders: each image gets a flat name of its own.
      const key = relative.split(path.sep).join('/');
      let name = imageNames.get(key);
      if (!name) {
        name = `${imageNames.size + 1}-${path.basename(file).replace(/[^\w.-]/g, '_')}`;
        imageNames.set(key, name);
        images.set(name, options.inputs.readBytes(file));
      }
      return name;
    };

    for (const format of options.formats) {
      const { document, diagnostics: found } = exportDocument(
        config,
        chapters.map((chapter) => ({ file: chapter.file, tree: chapter.tree, title: chapter.frontMatter.title, appendix: chapter.appendix })),
        frontParts,
        formatted,
        {
          citations: formatted.citations,
          numbers,
          glossary: config.glossary,
          lang: config.lang,
          raw: options.raw !== false && config.raw !== false,
          expandMath: (tex) => expandThesisMacros(tex, macros),
          imageFile,
        },
        format,
      );
      // The PDF build reports the same places; only what is particular to this output is added.
      if (format === options.formats[0]) diagnostics.push(...found);
      const outputName = `${options.baseName ?? 'thesis'}.${format}`;
      const files: Record<string, Uint8Array | string> = Object.fromEntries(images);
      const pandocOptions: Record<string, unknown> = {
        from: 'json',
        to: format,
        'output-file': outputName,
        standalone: true,
        'table-of-contents': config.toc,
      };
      if (format === 'html' || format === 'epub') pandocOptions['html-math-method'] = { method: 'mathml' };
      if (format === 'html') {
        pandocOptions['embed-resources'] = true;
        pandocOptions.css = ['thesis.css'];
        files['thesis.css'] = fs.readFileSync(htmlStylesheet, 'utf8');
      }
      if (format === 'docx' && config['reference-doc']) {
        files['reference.docx'] = fs.readFileSync(path.resolve(this.layout.root, config['reference-doc']));
        options.inputs.record(path.resolve(this.layout.root, config['reference-doc']));
        pandocOptions['reference-doc'] = 'reference.docx';
      }
      let output: Uint8Array | undefined;
      try {
        const result = await runPandoc({ options: pandocOptions, input: JSON.stringify(document), files });
        output = result.output;
        for (const warning of result.warnings) diagnostics.push(diagnostic('pandoc-warning', `Pandoc (${format}): ${warning}`, {}));
      } catch (error) {
        diagnostics.push(diagnostic('output-unwritable', `Pandoc could not write the ${format} output: ${(error as Error).message.split('\n')[0]}`, {}));
        continue;
      }
      if (!output) {
        diagnostics.push(diagnostic('output-unwritable', `Pandoc wrote no ${format} output`, {}));
        continue;
      }
      if (format === 'docx' && !config['reference-doc']) output = withThesisStyles(output);
      const file = path.join(this.layout.distDir, outputName);
      try {
        writeFileAtomic(file, output);
        written.push(file);
      } catch (error) {
        diagnostics.push(diagnostic('output-unwritable', `cannot write ${path.relative(this.layout.root, file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {}));
      }
    }
    return { written, diagnostics };
  }
}
