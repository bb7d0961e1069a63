// nspell ships no TypeScript types; these are the parts we use.
declare module 'nspell' {
  interface NSpell {
    correct(word: string): boolean;
    suggest(word: string): string[];
    add(word: string): NSpell;
  }
  function nspell(dictionary: { aff: Buffer | string; dic: Buffer | string }): NSpell;
  export default nspell;
}
