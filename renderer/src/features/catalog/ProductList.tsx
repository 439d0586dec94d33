// The catalog's results: one dense row per product. The page owns which row is selected (the
// search box and the arrow keys move it); each row is a real link, so Tab, Enter and middle-click
// behave as everywhere else.
import { useEffect, useRef } from 'react';
import type { ProductSummary } from '../../../../shared/model/product';
import { hrefs } from '../../app/router';
import { AlignmentBadge, ModeChips, StatusBadge, TierBadge } from '../../components/badges';
import { Highlight } from '../../components/Highlight';

interface Props {
  products: readonly ProductSummary[];
  selectedId: string | undefined;
  words: readonly string[];
  onSelect(id: string): void;
}

export function ProductList({ products, selectedId, words, onSelect }: Props) {
  const list = useRef<HTMLUListElement>(null);

  // Keep the selection visible, and move focus along with it when focus is already in the list.
  useEffect(() => {
    if (!selectedId || !list.current) return;
    const row = list.current.querySelector<HTMLAnchorElement>(`[data-id="${CSS.escape(selectedId)}"]`);
    if (!row) return;
    row.scrollIntoView({ block: 'nearest' });
    if (list.current.contains(document.activeElement) && document.activeElement !== row) row.focus();
  }, [selectedId]);

  return (
    <ul className="product-list" ref={list} aria-label="Data products">
      {products.map((p) => (
        <li key={p.id}>
          <a
            className="product-row"
            href={hrefs.product(p.id)}
            data-id={p.id}
            data-testid={`product-card-${p.id}`}
            aria-current={p.id === selectedId ? 'true' : undefined}
            onFocus={() => onSelect(p.id)}
            onMouseDown={() => onSelect(p.id)}
          >
            <div className="row-main">
              <div className="row-title">
                <span className="row-name">
                  <Highlight text={p.name} words={words} />
                </span>
                <span className="row-id mono">
                  <Highlight text={p.id} words={words} />
                </span>
                {p.status !== 'active' && <StatusBadge status={p.status} />}
              </div>
              <div className="row-desc">
                <Highlight text={p.description} words={words} />
              </div>
              <div className="row-meta">
                <span title="Domain">
                  <Highlight text={p.domain} words={words} />
                </span>
                <span className="sep" aria-hidden="true">·</span>
                <span title="Owner">
                  <Highlight text={p.owner} words={words} />
                </span>
                {p.tags.length > 0 && (
                  <span className="row-tags">
                    {p.tags.map((t) => (
                      <span key={t} className="tag">
                        <Highlight text={t} words={words} />
                      </span>
                    ))}
                  </span>
                )}
              </div>
            </div>
            <div className="row-side">
              <div className="row-badges">
                <AlignmentBadge alignment={p.alignment} />
                <TierBadge tier={p.tier} />
              </div>
              <ModeChips modes={p.modes} />
            </div>
          </a>
        </li>
      ))}
    </ul>
  );
}
