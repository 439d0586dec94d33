// The hash router: a handful of pages, so a parser and a store beat a routing library. The hash keeps the
// page and its state (catalog filters), which is what makes reload and back work in both the
// Electron window (file://) and browser mode.
import { useMemo } from 'react';
import { createStore, useStore } from './store';

export type Route =
  | { page: 'catalog'; params: URLSearchParams }
  | { page: 'product'; id: string }
  | { page: 'lint'; params: URLSearchParams }
  /** The tail view of a product's stream port, or the replay of a capture file. */
  | { page: 'stream'; target: { product: string } | { capture: string } }
  /** The capture files of the workspace. */
  | { page: 'captures' }
  /** The SQL workspace; `?product=<id>` opens a tab reading that product. */
  | { page: 'sql'; params: URLSearchParams }
  | { page: 'unknown'; hash: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = raw.split('?', 2);
  const params = new URLSearchParams(query);
  if (path === '/') return { page: 'catalog', params };
  if (path === '/lint') return { page: 'lint', params };
  if (path === '/sql') return { page: 'sql', params };
  if (path === '/stream') {
    const capture = params.get('capture');
    return capture ? { page: 'stream', target: { capture } } : { page: 'captures' };
  }
  const stream = /^\/stream\/(.+)$/.exec(path);
  if (stream?.[1]) return { page: 'stream', target: { product: decodeURIComponent(stream[1]) } };
  const product = /^\/product\/(.+)$/.exec(path);
  if (product?.[1]) return { page: 'product', id: decodeURIComponent(product[1]) };
  return { page: 'unknown', hash: raw };
}

const withQuery = (path: string, params?: URLSearchParams) => {
  const query = params?.toString();
  return `#${path}${query ? `?${query}` : ''}`;
};

export const hrefs = {
  catalog: (params?: URLSearchParams) => withQuery('/', params),
  product: (id: string) => `#/product/${encodeURIComponent(id)}`,
  lint: (params?: URLSearchParams) => withQuery('/lint', params),
  stream: (productId: string) => `#/stream/${encodeURIComponent(productId)}`,
  capture: (file: string) => withQuery('/stream', new URLSearchParams({ capture: file })),
  captures: () => '#/stream',
  sql: (product?: string) => withQuery('/sql', product ? new URLSearchParams({ product }) : undefined),
};

const hashStore = createStore(location.hash);
// The catalog as last seen (with its filters), so "back to the catalog" lands where the user left.
let lastCatalogHref = hrefs.catalog();

function sync() {
  if (parseRoute(location.hash).page === 'catalog') lastCatalogHref = location.hash || hrefs.catalog();
  hashStore.set(location.hash);
}
sync();
window.addEventListener('hashchange', sync);

/** Go to `href`; `replace` rewrites the current history entry (e.g. for each keystroke in a filter). */
export function navigate(href: string, { replace = false } = {}): void {
  if (replace) {
    // replaceState fires no hashchange, so the store is told directly.
    history.replaceState(history.state, '', href);
    sync();
  } else if (location.hash !== href) {
    location.hash = href;
  }
}

/** The catalog with the filters it had when last shown. */
export const catalogHref = (): string => lastCatalogHref;

export function backToCatalog(): void {
  navigate(lastCatalogHref);
}

export function useRoute(): Route {
  const hash = useStore(hashStore);
  return useMemo(() => parseRoute(hash), [hash]);
}
