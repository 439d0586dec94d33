// The shell: app bar, connection banner, the routed page and the global shortcuts.
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { CatalogPage } from '../features/catalog/CatalogPage';
import { DisconnectedIcon } from '../components/icons';
import { Banner, Delayed, EmptyState, SkeletonLines } from '../components/states';
import { useDisconnected } from './backend';
import { Header } from './Header';
import { requestSearchFocus, useKeys } from './keyboard';
import { catalogHref, hrefs, navigate, useRoute, type Route } from './router';
import { ShortcutsOverlay } from './ShortcutsOverlay';

// The first paint is the catalog: every other page is its own chunk, so the browser parses less
// before the catalog shows. They are fetched right after it (see usePrefetchedPages), except the
// SQL workspace, which carries Monaco (megabytes) and loads when first opened.
const loadProductPage = () => import('../features/product/ProductPage').then((m) => ({ default: m.ProductPage }));
const loadLintPage = () => import('../features/lint/LintPage').then((m) => ({ default: m.LintPage }));
const loadStreamPage = () => import('../features/stream/StreamPage').then((m) => ({ default: m.StreamPage }));
const loadCapturesPage = () => import('../features/stream/CapturesPage').then((m) => ({ default: m.CapturesPage }));
const ProductPage = lazy(loadProductPage);
const LintPage = lazy(loadLintPage);
const StreamPage = lazy(loadStreamPage);
const CapturesPage = lazy(loadCapturesPage);
const SqlPage = lazy(() => import('../features/sql/SqlPage'));

function usePrefetchedPages(): void {
  useEffect(() => {
    const timer = setTimeout(() => {
      for (const load of [loadProductPage, loadLintPage, loadStreamPage, loadCapturesPage]) void load().catch(() => undefined);
    }, 0);
    return () => clearTimeout(timer);
  }, []);
}

const pageFallback = (
  <Delayed>
    <div className="page">
      <SkeletonLines lines={6} />
    </div>
  </Delayed>
);

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'catalog':
      return <CatalogPage params={route.params} />;
    case 'product':
      // Keyed, so moving between products (lineage links) starts each page fresh.
      return <ProductPage key={route.id} id={route.id} />;
    case 'lint':
      return <LintPage params={route.params} />;
    case 'stream':
      // Keyed by what it reads, so opening another stream starts a fresh tail.
      return <StreamPage key={JSON.stringify(route.target)} target={route.target} />;
    case 'captures':
      return <CapturesPage />;
    case 'sql':
      return <SqlPage params={route.params} />;
    case 'unknown':
      return (
        <main className="page">
          <EmptyState title="Nothing here">
            <code>#{route.hash}</code> is not a page of the explorer. <a href={hrefs.catalog()}>Open the catalog</a>
          </EmptyState>
        </main>
      );
  }
}

function DisconnectedBanner() {
  const reason = useDisconnected();
  if (!reason) return null;
  return (
    <Banner
      tone="error"
      icon={<DisconnectedIcon />}
      testId="disconnected-banner"
      actions={
        <button type="button" className="button" onClick={() => location.reload()}>
          Reload
        </button>
      }
    >
      <strong>Backend disconnected:</strong> {reason}. What is shown may be out of date; start the explorer again, then reload.
    </Banner>
  );
}

export function App() {
  const route = useRoute();
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const content = useRef<HTMLDivElement>(null);
  usePrefetchedPages();

  const pageKey = route.page === 'product' ? `product:${route.id}` : route.page === 'stream' ? `stream:${JSON.stringify(route.target)}` : route.page;
  useEffect(() => {
    content.current?.scrollTo(0, 0);
  }, [pageKey]);

  useKeys({
    '/': () => {
      if (route.page !== 'catalog') navigate(catalogHref());
      requestSearchFocus();
    },
    '?': () => setShortcutsOpen(true),
    'g c': () => navigate(catalogHref()),
    'g l': () => navigate(hrefs.lint()),
    'g s': () => navigate(hrefs.sql()),
    // "go tail": the stream of the product on screen, else the captures.
    'g t': () => {
      if (route.page === 'product') navigate(hrefs.stream(route.id));
      else if (route.page !== 'stream') navigate(hrefs.captures());
    },
  });

  return (
    <div className="app">
      <Header route={route} onShowShortcuts={() => setShortcutsOpen(true)} />
      <DisconnectedBanner />
      <div className={`content ${route.page === 'stream' || route.page === 'sql' ? 'content-fill' : ''}`} ref={content}>
        <Suspense fallback={pageFallback}>
          <Page route={route} />
        </Suspense>
      </div>
      <ShortcutsOverlay open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}
