// pandoc-wasm ships no types; this is the one call the tests make.
declare module 'pandoc-wasm' {
  export function convert(
    options: Record<string, unknown>,
    stdin: string | null,
    files: Record<string, string | Blob>,
  ): Promise<{ stdout: string; stderr: string; warnings: unknown[]; files?: Record<string, unknown> }>;
}
