// The product's lineage as an SVG: what it is built from (left) and who builds on it (right).
// Nodes are links to their products; a named input the workspace does not have is dashed red.
import { useEffect, useMemo, useRef } from 'react';
import type { Lineage } from '../../../../shared/api/contract';
import { hrefs } from '../../app/router';
import { layoutLineage, NODE_HEIGHT, NODE_WIDTH, type PlacedNode } from './lineage-layout';

const PAD = 8;
// SVG text does not ellipsize; this is what fits in a node at the UI font size.
const NAME_CHARS = 24;
const ID_CHARS = 28;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function NodeBox({ placed, current }: { placed: PlacedNode; current: boolean }) {
  const { node, x, y } = placed;
  const classes = ['lineage-node', `tier-${node.tier ?? 'none'}`, current && 'current', node.missing && 'missing'].filter(Boolean).join(' ');
  const tooltip = node.missing ? `${node.name}: named as an input, but no product in this workspace provides it` : `${node.name} (${node.id}) · ${node.tier ?? 'no tier'} · ${node.modes.join(', ') || 'no modes'}`;
  const box = (
    <>
      <title>{tooltip}</title>
      <rect className="box" x={x} y={y} width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} />
      {!node.missing && <rect className="stripe" x={x} y={y} width={4} height={NODE_HEIGHT} rx={2} />}
      <text className="name" x={x + 14} y={y + 19}>
        {clip(node.name, NAME_CHARS)}
      </text>
      <text className="sub" x={x + 14} y={y + 35}>
        {node.missing ? 'missing input' : clip(node.id, ID_CHARS)}
      </text>
    </>
  );
  const testId = `lineage-node-${node.id}`;
  // The current product and missing inputs lead nowhere; every other node opens its product.
  return current || node.missing ? (
    <g className={classes} data-testid={testId}>
      {box}
    </g>
  ) : (
    <a className={classes} data-testid={testId} href={hrefs.product(node.id)} aria-label={`Open ${node.name}`}>
      {box}
    </a>
  );
}

export function LineageGraph({ lineage, currentId }: { lineage: Lineage; currentId: string }) {
  const layout = useMemo(() => layoutLineage(lineage), [lineage]);
  const width = layout.width + PAD * 2;
  const height = layout.height + PAD * 2;
  const scroller = useRef<HTMLDivElement>(null);

  // A large fan-out scrolls inside its panel; start with the current product in the middle of it.
  useEffect(() => {
    const box = scroller.current;
    const current = layout.nodes.find((n) => n.node.id === currentId);
    if (!box || !current) return;
    box.scrollTo(current.x + PAD - (box.clientWidth - NODE_WIDTH) / 2, current.y + PAD - (box.clientHeight - NODE_HEIGHT) / 2);
  }, [layout, currentId]);

  return (
    <div className="lineage-scroll" ref={scroller}>
      <svg className="lineage" data-testid="lineage-graph" width={width} height={height} viewBox={`${-PAD} ${-PAD} ${width} ${height}`} role="img" aria-label={`Lineage of ${currentId}: ${lineage.nodes.length} products, ${lineage.edges.length} links`}>
        <defs>
          <marker id="lineage-arrow" viewBox="0 0 8 8" refX="7.5" refY="4" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0.5 L8,4 L0,7.5 z" className="arrow-head" />
          </marker>
          <marker id="lineage-arrow-current" viewBox="0 0 8 8" refX="7.5" refY="4" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0.5 L8,4 L0,7.5 z" className="arrow-head current" />
          </marker>
        </defs>
        {layout.edges.map((e) => {
          const touchesCurrent = e.from === currentId || e.to === currentId;
          const fromMissing = layout.nodes.some((n) => n.node.id === e.from && n.node.missing);
          const classes = ['lineage-edge', touchesCurrent && 'current', fromMissing && 'missing'].filter(Boolean).join(' ');
          return <path key={`${e.from}→${e.to}`} d={e.d} className={classes} markerEnd={`url(#lineage-arrow${touchesCurrent ? '-current' : ''})`} />;
        })}
        {layout.nodes.map((n) => (
          <NodeBox key={n.node.id} placed={n} current={n.node.id === currentId} />
        ))}
      </svg>
    </div>
  );
}
