// The compile step: the Typst main file -> PDF bytes, with the template
// mapped in (the project's own, else the toolchain's). One compiler per
// project is kept alive, so watch rebuilds are incremental.
import type { Diagnostic } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';
import type { RenderedThesis } from '../render/step.js';
import { TypstCompiler } from './typst-compiler.js';

export class CompileStep {
  private compiler: TypstCompiler | null = null;

  constructor(private readonly layout: ProjectLayout) {}

  run(rendered: RenderedThesis, templateFile: string, options: { inputs: Inputs; preview: boolean }): { pdf?: Buffer; pages: number; diagnostics: Diagnostic[] } {
    this.compiler ??= new TypstCompiler(this.layout.root);
    return this.compiler.compile({
      mainPath: this.layout.mainTypstFile,
      main: rendered.main,
      shadows: new Map([[this.layout.templateFile, options.inputs.readText(templateFile)]]),
      sourceMap: rendered.sourceMap,
      tagged: !options.preview,
    });
  }

  /** Frees what the next run will not need (Typst's stale layouts); watch calls it after each build. */
  tidy(): void {
    this.compiler?.evictStale();
  }
}
