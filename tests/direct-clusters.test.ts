// The direct cluster renderer must give exactly what citeproc-js's own
// rebuildProcessorState gives, for every built-in style, on the cases where
// citation state matters: disambiguation (year suffixes, given names),
// sorting inside a cluster, collapsing, narrative and suppressed authors,
// locators, prefixes and suffixes, and repeated clusters.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { citeproc } from '../scripts/core/lazy-modules.js';
import { canRenderDirectly, renderClustersDirectly, type CiteprocCitation } from '../scripts/format/direct-clusters.js';

const require = createRequire(import.meta.url);
const styles = require('@citation-js/plugin-csl/lib/styles.json') as Record<string, string>;
const locales = require('@citation-js/plugin-csl/lib/locales.json') as Record<string, string>;

const person = (family: string, given: string) => ({ family, given });
const items: Record<string, object> = {
  smith2019a: { id: 'smith2019a', type: 'book', title: 'Credit and control', author: [person('Smith', 'Anna')], issued: { 'date-parts': [[2019]] }, publisher: 'Polity' },
  smith2019b: { id: 'smith2019b', type: 'article-journal', title: 'Scores in the city', author: [person('Smith', 'Anna')], issued: { 'date-parts': [[2019]] }, 'container-title': 'China Quarterly', volume: '12', page: '1-20' },
  smithj2019: { id: 'smithj2019', type: 'book', title: 'Trust', author: [person('Smith', 'John')], issued: { 'date-parts': [[2019]] }, publisher: 'Brill' },
  kostka2019: { id: 'kostka2019', type: 'article-journal', title: 'China’s social credit systems and public opinion', author: [person('Kostka', 'Genia')], issued: { 'date-parts': [[2019]] }, 'container-title': 'New Media & Society', volume: '21', issue: '7', page: '1565-1593', DOI: '10.1177/1461444819826402' },
  liang2018: { id: 'liang2018', type: 'article-journal', title: 'Constructing a data-driven society', author: [person('Liang', 'Fan'), person('Das', 'Vishnupriya'), person('Kostyuk', 'Nadiya'), person('Hussain', 'Muzammil M.')], issued: { 'date-parts': [[2018]] }, 'container-title': 'Policy & Internet', volume: '10', page: '415-453' },
  creemers2018: { id: 'creemers2018', type: 'report', title: 'China’s social credit system: An evolving practice of control', author: [person('Creemers', 'Rogier')], issued: { 'date-parts': [[2018]] }, publisher: 'SSRN' },
  council2014: { id: 'council2014', type: 'legislation', title: 'Planning outline for the construction of a social credit system (2014–2020)', author: [{ literal: 'State Council' }], issued: { 'date-parts': [[2014, 6, 14]] } },
};

let counter = 0;
const cluster = (citationItems: CiteprocCitation['citationItems'], mode?: string): CiteprocCitation => ({
  citationID: `c${++counter}`,
  citationItems,
  properties: { noteIndex: 0, ...(mode ? { mode } : {}) },
});

function clusters(): CiteprocCitation[] {
  counter = 0;
  return [
    cluster([{ id: 'kostka2019' }]),
    cluster([{ id: 'smith2019b', locator: '12', label: 'page' }, { id: 'smith2019a' }]),
    cluster([{ id: 'smithj2019' }, { id: 'liang2018', prefix: 'see ', suffix: ', for a review' }]),
    cluster([{ id: 'kostka2019' }], 'composite'),
    cluster([{ id: 'creemers2018', 'suppress-author': true, locator: '3-5', label: 'page' }]),
    cluster([{ id: 'council2014' }, { id: 'kostka2019' }, { id: 'smith2019a' }, { id: 'smith2019b' }]),
    cluster([{ id: 'kostka2019' }]),
    cluster([{ id: 'liang2018', locator: '2', label: 'chapter' }], 'composite'),
    cluster([{ id: 'smith2019a' }]),
  ];
}

function engineFor(style: string) {
  const sys = { retrieveLocale: (lang: string) => locales[lang] ?? locales['en-US'], retrieveItem: (id: string) => structuredClone(items[id]) };
  const engine = new (citeproc().Engine)(sys, styles[style], 'en-US', true);
  engine.setOutputFormat('text');
  return engine;
}

describe('direct cluster rendering', () => {
  for (const style of ['apa', 'vancouver', 'harvard1']) {
    it(`matches rebuildProcessorState for ${style}`, () => {
      const reference = engineFor(style);
      const expected = reference.rebuildProcessorState(clusters(), 'text') as [string, number, string][];
      const direct = engineFor(style);
      expect(canRenderDirectly(direct)).toBe(true);
      const actual = renderClustersDirectly(direct, clusters());
      expect(actual).toEqual(expected);
      // The reference lists agree too: the registry ends in the same state.
      expect(direct.makeBibliography()).toEqual(reference.makeBibliography());
      // Sanity: the cases are really there (a year suffix, a given name, a narrative form).
      const text = actual.map(([, , markup]) => markup).join('\n');
      if (style === 'apa') expect(text).toMatch(/2019a/);
      if (style === 'apa') expect(text).toMatch(/Kostka \(2019\)/);
    });
  }

  it('leaves styles that test positions to citeproc-js', () => {
    const positional = styles.apa.replace('<macro name="author-short">', '<macro name="author-short"><choose><if position="subsequent"><text value="ibid"/></if></choose>');
    expect(positional).toContain('position="subsequent"');
    expect(canRenderDirectly(engineFor('apa'))).toBe(true);
    const sys = { retrieveLocale: (lang: string) => locales[lang] ?? locales['en-US'], retrieveItem: (id: string) => structuredClone(items[id]) };
    const engine = new (citeproc().Engine)(sys, positional, 'en-US', true);
    expect(canRenderDirectly(engine)).toBe(false);
  });
});

describe('the formatting thread', () => {
  it('gives what formatting in this thread gives, errors included', async () => {
    const { formatOnThread, releaseFormatting } = await import('../scripts/format/format-thread.js');
    const { runCiteproc } = await import('../scripts/format/citeproc-engine.js');
    const request = { styleXml: styles.apa, localeTag: 'en-US', items: items as never, clusters: clusters(), uncited: ['council2014'] };
    const here = runCiteproc(structuredClone(request));
    const there = formatOnThread(structuredClone(request));
    releaseFormatting();
    expect(there).toEqual(here);
    expect(there.rendered).toHaveLength(clusters().length);
    expect(there.bibliography?.entries.map((e) => e.key)).toContain('council2014');
    // A style citeproc-js cannot build comes back as an error, not a hang.
    expect(() => formatOnThread({ ...request, styleXml: '<style><citation>' })).toThrow();
    releaseFormatting();
  });
});
