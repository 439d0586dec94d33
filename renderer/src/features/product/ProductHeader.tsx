// Who the product is at a glance: name, id, status, version, tier and what the tier promises.
import type { Product } from '../../../../shared/model/product';
import { useCall } from '../../app/backend';
import { backToCatalog, hrefs } from '../../app/router';
import { ALIGNMENT_MEANING, Kbd, ModeChips, SeverityIcon, StatusBadge, TierBadge } from '../../components/badges';
import { CopyButton } from '../../components/CopyButton';
import { plural, tierPromiseText } from '../../components/format';
import { ArrowLeftIcon, SqlIcon, StreamIcon } from '../../components/icons';
import { worstSeverity } from '../lint/findings';

/** A consumer should know before relying on a product that its descriptors break promises. */
function LintNotice({ id }: { id: string }) {
  const findings = useCall('lint.run', {}).data?.findings.filter((f) => f.product === id) ?? [];
  const worst = worstSeverity(findings);
  if (!worst) return null;
  return (
    <a className={`lint-notice sev-${worst}`} href={hrefs.lint()} title="Open the lint panel">
      <SeverityIcon severity={worst} size={13} />
      {plural(findings.length, 'lint finding')}
    </a>
  );
}

export function ProductHeader({ product }: { product: Product }) {
  return (
    <header className="product-header">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <button type="button" className="back-button" onClick={backToCatalog} title="Back to the catalog (Esc)">
          <ArrowLeftIcon size={14} /> Catalog <Kbd>Esc</Kbd>
        </button>
        <span className="sep" aria-hidden="true">/</span>
        <a href={hrefs.catalog(new URLSearchParams({ domain: product.domain }))}>{product.domain}</a>
        <span className="sep" aria-hidden="true">/</span>
        <span aria-current="page">{product.name}</span>
      </nav>
      <div className="product-title-row">
        <h1 data-testid="product-title">{product.name}</h1>
        <StatusBadge status={product.status} />
        {product.version && <span className="badge mono" title="Version">v{product.version}</span>}
        <LintNotice id={product.id} />
        {product.modes.includes('stream') && (
          <a className="button stream-button" href={hrefs.stream(product.id)} data-testid="stream-button" title="Tail the product's stream live, or search it (g t)">
            <StreamIcon size={14} /> Tail stream <Kbd>g</Kbd>
            <Kbd>t</Kbd>
          </a>
        )}
        {product.modes.includes('batch') && (
          <a className={`button query-button ${product.modes.includes('stream') ? '' : 'alone'}`} href={hrefs.sql(product.id)} data-testid="query-button" title={`Query the snapshots with SQL: SELECT * FROM "${product.id}" LIMIT 100`}>
            <SqlIcon size={14} /> Query
          </a>
        )}
      </div>
      <div className="product-id">
        <code>{product.id}</code>
        <CopyButton value={product.id} label="Copy id" />
      </div>
      <dl className="facts">
        <div className={`fact tier-fact tier-${product.tier ?? 'none'}`}>
          <dt>Tier</dt>
          <dd>
            <TierBadge tier={product.tier} promise={product.tierPromise} />
            <span className="fact-note">{tierPromiseText(product.tier, product.tierPromise)}</span>
          </dd>
        </div>
        <div className="fact">
          <dt>Alignment</dt>
          <dd>
            {product.alignment ?? '—'}
            {product.alignment && <span className="fact-note">{ALIGNMENT_MEANING[product.alignment]}</span>}
          </dd>
        </div>
        <div className="fact">
          <dt>Modes</dt>
          <dd>{product.modes.length ? <ModeChips modes={product.modes} /> : '—'}</dd>
        </div>
        <div className="fact">
          <dt>Owner</dt>
          <dd>{product.owner.name}</dd>
        </div>
        {product.tags.length > 0 && (
          <div className="fact">
            <dt>Tags</dt>
            <dd className="tags">
              {product.tags.map((t) => (
                <span key={t} className="tag">
                  {t}
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>
    </header>
  );
}
