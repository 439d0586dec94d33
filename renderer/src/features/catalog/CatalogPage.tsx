// The catalog: search and facets over every product of the workspace. The URL hash is the single
// source of truth for the filters; this page only reads it and writes it back.
import { useDeferredValue, useMemo, useState } from 'react';
import type { ProductSummary } from '../../../../shared/model/product';
import { useCall } from '../../app/backend';
import { useDocumentTitle } from '../../app/document-title';
import { useKeys } from '../../app/keyboard';
import { hrefs, navigate } from '../../app/router';
import { plural } from '../../components/format';
import { SearchIcon } from '../../components/icons';
import { EmptyState, Loaded, Skeleton } from '../../components/states';
import { FacetPanel } from './FacetPanel';
import { CLEARED, facetValues, filterProducts, isFiltered, readQuery, terms, toggleValue, writeQuery, type CatalogQuery } from './filters';
import { ProblemsBanner } from './ProblemsBanner';
import { ProductList } from './ProductList';
import { SearchBox } from './SearchBox';

const NO_PRODUCTS: readonly ProductSummary[] = [];

// Survives leaving the page, so coming back from a product keeps its row selected.
let rememberedSelection: string | undefined;

export function CatalogPage({ params }: { params: URLSearchParams }) {
  const catalog = useCall('catalog.list', {});
  useDocumentTitle('Catalog');
  const query = useMemo(() => readQuery(params), [params]);
  // Typing stays instant; filtering thousands of rows may lag a frame behind.
  const shownQuery = useDeferredValue(query);
  const products = catalog.data?.products ?? NO_PRODUCTS;
  const results = useMemo(() => filterProducts(products, shownQuery), [products, shownQuery]);
  const facets = useMemo(() => facetValues(products, shownQuery), [products, shownQuery]);

  const [selection, setSelection] = useState(rememberedSelection);
  const selectedIndex = Math.max(0, results.findIndex((p) => p.id === selection));
  const selected = results[selectedIndex];
  const select = (id: string) => {
    rememberedSelection = id;
    setSelection(id);
  };
  const move = (delta: number) => {
    const next = results[Math.min(results.length - 1, Math.max(0, selectedIndex + delta))];
    if (next) select(next.id);
  };
  const open = () => selected && navigate(hrefs.product(selected.id));
  const update = (next: CatalogQuery) => navigate(hrefs.catalog(writeQuery(next)), { replace: true });

  useKeys({
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    Home: () => move(-results.length),
    End: () => move(results.length),
    // Only with nothing focused: a focused row, facet or button handles Enter itself.
    Enter: (e) => (e.target === document.body ? open() : false),
  });

  const filtered = isFiltered(query);
  return (
    <div className="catalog">
      <aside className="catalog-sidebar">
        <div className="sidebar-header">
          <span>Filters</span>
          {filtered && (
            <button type="button" className="link-button" data-testid="clear-filters" onClick={() => update(CLEARED)}>
              Clear all
            </button>
          )}
        </div>
        {catalog.data && <FacetPanel facets={facets} onToggle={(facet, value) => update(toggleValue(query, facet, value))} />}
      </aside>
      <main className="catalog-main">
        <div className="catalog-toolbar">
          <SearchBox value={query.text} onChange={(text) => update({ ...query, text })} onMove={move} onOpen={open} />
          {catalog.data && (
            <span className="result-count" aria-live="polite">
              {filtered ? `${results.length} of ${plural(products.length, 'product')}` : plural(products.length, 'product')}
            </span>
          )}
        </div>
        {catalog.data && <ProblemsBanner problems={catalog.data.problems} />}
        <Loaded call={catalog} what="the catalog" skeleton={<ListSkeleton />}>
          {() =>
            products.length === 0 ? (
              <EmptyState title="No data products in this workspace">
                Add ODPS product descriptors (<code>*.odps.yaml</code>) to the folders the workspace lists under <code>descriptors</code>; the catalog reloads by itself.
              </EmptyState>
            ) : results.length === 0 ? (
              <EmptyState title="No products match" icon={<SearchIcon size={20} />}>
                <button type="button" className="button" onClick={() => update(CLEARED)}>
                  Clear filters
                </button>
              </EmptyState>
            ) : (
              <ProductList products={results} selectedId={selected?.id} words={terms(shownQuery.text)} onSelect={select} />
            )
          }
        </Loaded>
      </main>
    </div>
  );
}

function ListSkeleton() {
  return (
    <div className="product-list">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="product-row skeleton-row">
          <div className="row-main">
            <Skeleton width="30%" height={13} />
            <Skeleton width="70%" />
            <Skeleton width="22%" height={10} />
          </div>
        </div>
      ))}
    </div>
  );
}
