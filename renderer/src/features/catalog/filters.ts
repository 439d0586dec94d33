// What the catalog shows: free-text search plus facet filters, kept in the URL hash so a filtered
// view survives reload and back. Within a facet the values are alternatives (OR); across facets
// they narrow (AND). Pure functions, so the page only wires them to the UI.
import { alignmentSchema, modeSchema, tierSchema, TIER_RANK, type ProductSummary } from '../../../../shared/model/product';

export const FACETS = ['domain', 'owner', 'alignment', 'tier', 'mode'] as const;
export type Facet = (typeof FACETS)[number];

export interface CatalogQuery {
  text: string;
  selected: Record<Facet, readonly string[]>;
}

/** Facets with a fixed vocabulary list every value, even at count 0, in a meaningful order. */
const FIXED_VALUES: Partial<Record<Facet, readonly string[]>> = {
  alignment: alignmentSchema.options,
  tier: [...tierSchema.options].sort((a, b) => TIER_RANK[b] - TIER_RANK[a]),
  mode: modeSchema.options,
};

function valuesOf(p: ProductSummary, facet: Facet): readonly string[] {
  switch (facet) {
    case 'domain':
      return [p.domain];
    case 'owner':
      return [p.owner];
    case 'alignment':
      return p.alignment ? [p.alignment] : [];
    case 'tier':
      return p.tier ? [p.tier] : [];
    case 'mode':
      return p.modes;
  }
}

export function readQuery(params: URLSearchParams): CatalogQuery {
  const selected = Object.fromEntries(FACETS.map((f) => [f, params.getAll(f)])) as Record<Facet, string[]>;
  return { text: params.get('q') ?? '', selected };
}

export function writeQuery(query: CatalogQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.text) params.set('q', query.text);
  for (const facet of FACETS) query.selected[facet].forEach((v) => params.append(facet, v));
  return params;
}

export function toggleValue(query: CatalogQuery, facet: Facet, value: string): CatalogQuery {
  const current = query.selected[facet];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return { ...query, selected: { ...query.selected, [facet]: next } };
}

export const isFiltered = (query: CatalogQuery): boolean => query.text.trim() !== '' || FACETS.some((f) => query.selected[f].length > 0);

export const CLEARED: CatalogQuery = { text: '', selected: { domain: [], owner: [], alignment: [], tier: [], mode: [] } };

export const terms = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);

// Built once per product object (a catalog answer keeps its objects), not on every keystroke.
const haystacks = new WeakMap<ProductSummary, string>();
function haystack(p: ProductSummary): string {
  let text = haystacks.get(p);
  if (text === undefined) {
    text = [p.id, p.name, p.description, p.domain, p.owner, ...p.tags].join('\n').toLowerCase();
    haystacks.set(p, text);
  }
  return text;
}

/** Every term must appear somewhere; products whose id or name has them all come first. */
function searchRank(p: ProductSummary, words: string[]): number | null {
  if (words.length === 0) return 0;
  if (!words.every((w) => haystack(p).includes(w))) return null;
  const title = `${p.id}\n${p.name}`.toLowerCase();
  return words.every((w) => title.includes(w)) ? 0 : 1;
}

function passesFacets(p: ProductSummary, query: CatalogQuery, except?: Facet): boolean {
  return FACETS.every((facet) => {
    const wanted = query.selected[facet];
    return facet === except || wanted.length === 0 || valuesOf(p, facet).some((v) => wanted.includes(v));
  });
}

export function filterProducts(products: readonly ProductSummary[], query: CatalogQuery): ProductSummary[] {
  const words = terms(query.text);
  return products
    .map((p) => ({ p, rank: passesFacets(p, query) ? searchRank(p, words) : null }))
    .filter((r): r is { p: ProductSummary; rank: number } => r.rank !== null)
    .sort((a, b) => a.rank - b.rank) // stable: equal ranks keep the catalog's order
    .map((r) => r.p);
}

export interface FacetValue {
  value: string;
  count: number;
  selected: boolean;
}

/**
 * Each facet's values with how many products each would show, given the search and the *other*
 * facets' filters (the facet's own selection is ignored, so picking "gold" leaves "silver" countable).
 */
export function facetValues(products: readonly ProductSummary[], query: CatalogQuery): Record<Facet, FacetValue[]> {
  const words = terms(query.text);
  const searched = products.filter((p) => searchRank(p, words) !== null);
  const result = {} as Record<Facet, FacetValue[]>;
  for (const facet of FACETS) {
    const counts = new Map<string, number>();
    // Every value any product has, so a value does not vanish when other filters bring it to 0.
    for (const v of FIXED_VALUES[facet] ?? products.flatMap((p) => valuesOf(p, facet))) counts.set(v, 0);
    for (const v of query.selected[facet]) counts.set(v, counts.get(v) ?? 0);
    for (const p of searched) {
      if (passesFacets(p, query, facet)) for (const v of valuesOf(p, facet)) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const values = [...counts].map(([value, count]) => ({ value, count, selected: query.selected[facet].includes(value) }));
    if (!FIXED_VALUES[facet]) values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    result[facet] = values;
  }
  return result;
}
