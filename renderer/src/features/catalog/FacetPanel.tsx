// The facet filters beside the catalog list: one group per facet, each value with the number of
// products it would show.
import { useState } from 'react';
import { TierBadge, ModeChip } from '../../components/badges';
import type { Mode, Tier } from '../../../../shared/model/product';
import { FACETS, type Facet, type FacetValue } from './filters';

const FACET_TITLE: Record<Facet, string> = { domain: 'Domain', owner: 'Owner', alignment: 'Alignment', tier: 'Tier', mode: 'Mode' };

// Long value lists (many domains or teams) fold so the fixed facets below stay in view.
const FOLDED_LENGTH = 6;

function ValueLabel({ facet, value }: { facet: Facet; value: string }) {
  if (facet === 'tier') return <TierBadge tier={value as Tier} />;
  if (facet === 'mode') return <ModeChip mode={value as Mode} />;
  return <span className="facet-text">{value}</span>;
}

function FacetGroup({ facet, values, onToggle }: { facet: Facet; values: FacetValue[]; onToggle(value: string): void }) {
  const [expanded, setExpanded] = useState(false);
  const foldable = values.length > FOLDED_LENGTH + 1;
  const shown = foldable && !expanded ? values.filter((v, i) => i < FOLDED_LENGTH || v.selected) : values;
  return (
    <fieldset className="facet">
      <legend>{FACET_TITLE[facet]}</legend>
      {shown.map(({ value, count, selected }) => (
        <button
          key={value}
          type="button"
          className="facet-value"
          role="checkbox"
          aria-checked={selected}
          data-testid={`facet-${facet}-${value}`}
          disabled={count === 0 && !selected}
          onClick={() => onToggle(value)}
        >
          <span className="facet-check" aria-hidden="true" />
          <ValueLabel facet={facet} value={value} />
          <span className="facet-count">{count}</span>
        </button>
      ))}
      {foldable && (
        <button type="button" className="link-button facet-more" onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show fewer' : `Show all ${values.length}`}
        </button>
      )}
    </fieldset>
  );
}

export function FacetPanel({ facets, onToggle }: { facets: Record<Facet, FacetValue[]>; onToggle(facet: Facet, value: string): void }) {
  return (
    <div className="facets" aria-label="Filters" role="group">
      {FACETS.map((facet) => (
        <FacetGroup key={facet} facet={facet} values={facets[facet]} onToggle={(value) => onToggle(facet, value)} />
      ))}
    </div>
  );
}
