// citation-js ships no TypeScript types; these are the parts we use.
declare module '@citation-js/core' {
  export const plugins: {
    input: {
      chain(input: unknown, options?: Record<string, unknown>): unknown;
    };
    output: {
      format(name: string, data: unknown[], options?: Record<string, unknown>): unknown;
    };
    config: { get(name: string): any };
  };
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-csl';
declare module '@citation-js/plugin-ris';
declare module 'citeproc';
