// A layered left-to-right layout for the small lineage graphs of a workspace: inputs on the left,
// consumers on the right. Each node's column (rank) is its longest path from a source, so every
// edge points rightwards; within a column, nodes are ordered by the average position of their
// neighbours (a few barycenter sweeps) to keep edges from crossing.
import type { Lineage } from '../../../../shared/api/contract';

export type LineageNode = Lineage['nodes'][number];

export const NODE_WIDTH = 196;
export const NODE_HEIGHT = 46;
const GAP_X = 72;
const GAP_Y = 14;
const SWEEPS = 4;

export interface PlacedNode {
  node: LineageNode;
  x: number;
  y: number;
}
export interface PlacedEdge {
  from: string;
  to: string;
  /** SVG path data: a horizontal S-curve from the right side of `from` to the left side of `to`. */
  d: string;
}
export interface LineageLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

function longestPathRanks(lineage: Lineage): Map<string, number> {
  const preds = new Map(lineage.nodes.map((n) => [n.id, [] as string[]]));
  for (const e of lineage.edges) preds.get(e.to)?.push(e.from);
  const ranks = new Map<string, number>();
  // Depth-first with an "in progress" mark, so a (malformed) cycle ends instead of looping.
  const visiting = new Set<string>();
  const rankOf = (id: string): number => {
    const known = ranks.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const rank = Math.max(-1, ...(preds.get(id) ?? []).map(rankOf)) + 1;
    visiting.delete(id);
    ranks.set(id, rank);
    return rank;
  };
  lineage.nodes.forEach((n) => rankOf(n.id));
  return ranks;
}

function orderColumns(lineage: Lineage, ranks: Map<string, number>): string[][] {
  const columns: string[][] = [];
  for (const n of lineage.nodes) (columns[ranks.get(n.id) ?? 0] ??= []).push(n.id);
  const neighbours = (id: string, side: 'from' | 'to') => lineage.edges.filter((e) => e[side === 'from' ? 'to' : 'from'] === id).map((e) => e[side]);
  const position = new Map<string, number>();
  const index = () => columns.forEach((col) => col.forEach((id, i) => position.set(id, i)));
  index();
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    const down = sweep % 2 === 0;
    const order = down ? columns.slice(1) : columns.slice(0, -1).reverse();
    for (const col of order) {
      const weight = (id: string) => {
        const ns = neighbours(id, down ? 'from' : 'to');
        return ns.length ? ns.reduce((sum, n) => sum + (position.get(n) ?? 0), 0) / ns.length : (position.get(id) ?? 0);
      };
      col.sort((a, b) => weight(a) - weight(b));
      index();
    }
  }
  return columns;
}

export function layoutLineage(lineage: Lineage): LineageLayout {
  const columns = orderColumns(lineage, longestPathRanks(lineage));
  const byId = new Map(lineage.nodes.map((n) => [n.id, n]));
  const tallest = Math.max(...columns.map((c) => c.length));
  const height = tallest * NODE_HEIGHT + (tallest - 1) * GAP_Y;
  const placed = new Map<string, PlacedNode>();
  columns.forEach((col, rank) => {
    // Shorter columns are centred against the tallest one.
    const top = (height - (col.length * NODE_HEIGHT + (col.length - 1) * GAP_Y)) / 2;
    col.forEach((id, i) => placed.set(id, { node: byId.get(id)!, x: rank * (NODE_WIDTH + GAP_X), y: top + i * (NODE_HEIGHT + GAP_Y) }));
  });
  const edges = lineage.edges.flatMap((e) => {
    const a = placed.get(e.from);
    const b = placed.get(e.to);
    if (!a || !b) return [];
    const [x1, y1, x2, y2] = [a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2, b.x, b.y + NODE_HEIGHT / 2];
    const bend = Math.max(24, (x2 - x1) / 2);
    return [{ from: e.from, to: e.to, d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` }];
  });
  return { nodes: [...placed.values()], edges, width: columns.length * NODE_WIDTH + (columns.length - 1) * GAP_X, height };
}
