// The thesis's language in one place (core/language.ts): the tag split once,
// the words both writers print, and the Typst settings a `lang=` means.
import { describe, expect, it } from 'vitest';
import { languageOf } from '../scripts/core/language.js';

describe('the thesis language', () => {
  it('splits a tag once into language and a region Typst takes', () => {
    expect([languageOf('de-AT').code, languageOf('de-AT').region]).toEqual(['de', 'AT']);
    expect([languageOf('zh-Hans-CN').code, languageOf('zh-Hans-CN').region]).toEqual(['zh', 'CN']);
    expect([languageOf('EN-gb').code, languageOf('EN-gb').region]).toEqual(['en', 'GB']);
    expect(languageOf('not_a_language').typstArguments()).toBeNull();
    expect(languageOf('fr').region).toBeNull();
  });

  it('gives the words of the language, English where it has none, and says which', () => {
    expect(languageOf('de-CH').words.references).toBe('Literaturverzeichnis');
    expect(languageOf('de-CH').hasOwnDeclaration).toBe(true);
    expect(languageOf('fi-FI').words.contents).toBe('Contents');
    expect(languageOf('fi-FI').hasOwnWords).toBe(false);
    expect(languageOf('de').quotationMarks).toEqual(['„', '“', '‚', '‘']);
  });

  it('is Typst settings only when it is a language tag', () => {
    expect(languageOf('de-AT').typstArguments()).toBe('lang: "de", region: "AT"');
    expect(languageOf('not a tag').typstArguments()).toBeNull();
    expect(languageOf('"); #read("x').typstArguments()).toBeNull();
  });
});
