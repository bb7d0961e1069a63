// citation-js ships no TypeScript types; these are the parts we use.
declare module '@citation-js/core' {
  export const plugins: {
    input: {
      chain(input: unknown, options?: Record<string, unknown>): unknown;
    };
    output: {
      format(name: string, data: unknown[], options?: Record<string, unknown>): unknown;
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    config: { get(name: string): any };
  };
}
