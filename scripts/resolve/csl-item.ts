// The CSL-JSON item, the one shape every bibliography format is turned into.
export interface CslName {
  family?: string;
  given?: string;
  literal?: string;
  'non-dropping-particle'?: string;
  'dropping-particle'?: string;
  suffix?: string;
}

export interface CslDate {
  'date-parts'?: (number | string)[][];
  raw?: string;
  literal?: string;
}

export interface CslItem {
  id: string;
  type: string;
  title?: string;
  author?: CslName[];
  editor?: CslName[];
  translator?: CslName[];
  issued?: CslDate;
  'container-title'?: string;
  publisher?: string;
  'publisher-place'?: string;
  volume?: string | number;
  issue?: string | number;
  page?: string;
  DOI?: string;
  ISBN?: string;
  URL?: string;
  keyword?: string;
  [field: string]: unknown;
}

/** The item without the parse graph citation-js leaves on it, which neither Pandoc nor an export has a use for. */
export function withoutParseGraph(item: CslItem): CslItem {
  const { _graph: _unused, ...clean } = item as CslItem & { _graph?: unknown };
  return clean;
}
