// The app bar: which workspace this is, the pages, whether the catalog is live, and the theme.
import { useCall, useCatalogWatch } from './backend';
import { catalogHref, hrefs, type Route } from './router';
import { useTheme } from './theme';
import { plural } from '../components/format';
import { CatalogIcon, KeyboardIcon, LintIcon, MoonIcon, SqlIcon, StreamIcon, SunIcon } from '../components/icons';
import { Skeleton } from '../components/states';

function WorkspaceName() {
  const info = useCall('workspace.info', {});
  if (info.error) return <span className="workspace-name error-text" title={info.error.message}>Workspace unavailable</span>;
  if (!info.data) return <Skeleton width={140} height={12} />;
  const { name, description, file, isDemo } = info.data;
  return (
    <span className="workspace-name" title={[description, file].filter(Boolean).join('\n')}>
      {name}
      {isDemo && <span className="badge demo-badge">demo</span>}
    </span>
  );
}

function LiveStatus() {
  const { live, lastReload } = useCatalogWatch();
  const when = lastReload ? `reloaded ${lastReload.at.toLocaleTimeString()}` : null;
  const detail = lastReload
    ? [`Catalog reloaded: ${plural(lastReload.change.products, 'product')}, ${plural(lastReload.change.problems, 'problem')}`, ...lastReload.change.files].join('\n')
    : 'Descriptors are watched; the catalog reloads when they change.';
  return (
    <span className={`live ${live ? 'on' : 'off'}`} title={live ? detail : 'Not watching descriptors: changes show after a reload.'}>
      <span className="live-dot" aria-hidden="true" />
      {live ? (when ?? 'live') : 'not watching'}
    </span>
  );
}

function LintCount() {
  const findings = useCall('lint.run', {}).data?.findings;
  if (!findings?.length) return null;
  const errors = findings.filter((f) => f.severity === 'error').length;
  return (
    <span className={`nav-count ${errors ? 'has-errors' : ''}`} title={`${plural(errors, 'error')}, ${plural(findings.length - errors, 'other finding')}`}>
      {findings.length}
    </span>
  );
}

export function Header({ route, onShowShortcuts }: { route: Route; onShowShortcuts(): void }) {
  const { theme, toggle } = useTheme();
  const products = useCall('catalog.list', {}).data?.products.length;
  const current = (page: Route['page']) =>
    route.page === page || (page === 'catalog' && route.page === 'product') || (page === 'captures' && route.page === 'stream') ? 'page' : undefined;
  return (
    <header className="app-header">
      <div className="brand">
        <span className="logo" aria-hidden="true">
          <svg width="18" height="18" viewBox="0 0 18 18">
            <rect x="1" y="1" width="7" height="7" rx="2" className="logo-a" />
            <rect x="10" y="1" width="7" height="7" rx="2" className="logo-b" />
            <rect x="1" y="10" width="7" height="7" rx="2" className="logo-b" />
            <rect x="10" y="10" width="7" height="7" rx="2" className="logo-c" />
          </svg>
        </span>
        <span className="app-name">Data Product Explorer</span>
        <span className="sep" aria-hidden="true">/</span>
        <WorkspaceName />
      </div>
      <nav className="app-nav" aria-label="Pages">
        <a href={catalogHref()} aria-current={current('catalog')} title="Catalog (g c)">
          <CatalogIcon size={14} /> Catalog
          {products !== undefined && <span className="nav-count">{products}</span>}
        </a>
        <a href={hrefs.lint()} aria-current={current('lint')} title="Lint (g l)">
          <LintIcon size={14} /> Lint
          <LintCount />
        </a>
        <a href={hrefs.captures()} aria-current={current('captures')} title="Streams: tails and captures (g t)" data-testid="nav-streams">
          <StreamIcon size={14} /> Streams
        </a>
        <a href={hrefs.sql()} aria-current={current('sql')} title="SQL over the products' snapshots (g s)" data-testid="nav-sql">
          <SqlIcon size={14} /> SQL
        </a>
      </nav>
      <div className="app-actions">
        <LiveStatus />
        <button type="button" className="icon-button" onClick={onShowShortcuts} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
          <KeyboardIcon />
        </button>
        <button type="button" className="icon-button" data-testid="theme-toggle" onClick={toggle} title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
          {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
        </button>
      </div>
    </header>
  );
}
