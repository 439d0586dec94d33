// Where the product's data comes from and where it goes, from `catalog.lineage`.
import { useCall } from '../../app/backend';
import { Section } from '../../components/Section';
import { Loaded, Skeleton } from '../../components/states';
import { LineageGraph } from './LineageGraph';
import { NODE_HEIGHT } from './lineage-layout';

const LEGEND = ['gold', 'silver', 'bronze', 'missing'] as const;

export function LineagePanel({ id }: { id: string }) {
  const lineage = useCall('catalog.lineage', { id });
  const missing = lineage.data?.nodes.filter((n) => n.missing).length ?? 0;
  return (
    <Section
      title="Lineage"
      aside={
        <span className="legend" aria-hidden="true">
          {LEGEND.map((key) => (
            <span key={key} className="legend-item">
              <span className={`legend-swatch ${key === 'missing' ? 'missing' : `tier-${key}`}`} /> {key}
            </span>
          ))}
        </span>
      }
    >
      <Loaded call={lineage} what="the lineage" skeleton={<Skeleton height={NODE_HEIGHT + 16} />}>
        {(data) => (
          <>
            <LineageGraph lineage={data} currentId={id} />
            {data.nodes.length === 1 && <p className="hint">No product in this workspace feeds this one or reads from it.</p>}
            {missing > 0 && <p className="hint danger">{missing === 1 ? 'One input named here is' : `${missing} inputs named here are`} not provided by any product in this workspace.</p>}
          </>
        )}
      </Loaded>
    </Section>
  );
}
