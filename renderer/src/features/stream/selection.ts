// Which messages are selected, by sequence number (see ring.ts), as sorted disjoint ranges: a
// shift-click over 100,000 rows or Ctrl+A is one range, not 100,000 entries.

export interface Selection {
  /** Sorted, disjoint, non-adjacent [from, to] ranges (inclusive). */
  ranges: ReadonlyArray<readonly [number, number]>;
  /** Where a shift-click or shift+arrow range starts. */
  anchor: number | null;
  /** The row the keyboard is on. */
  cursor: number | null;
}

export const EMPTY_SELECTION: Selection = { ranges: [], anchor: null, cursor: null };

function normalize(ranges: Array<readonly [number, number]>): Array<readonly [number, number]> {
  const sorted = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export function isSelected(s: Selection, seq: number): boolean {
  // Few ranges in practice; a binary search keeps even many cheap.
  let lo = 0;
  let hi = s.ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = s.ranges[mid]!;
    if (seq < a) hi = mid - 1;
    else if (seq > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A plain click or arrow key: just this one. */
export function selectOne(seq: number): Selection {
  return { ranges: [[seq, seq]], anchor: seq, cursor: seq };
}

/** Ctrl/Cmd+click: add or remove this one. */
export function toggleOne(s: Selection, seq: number): Selection {
  if (!isSelected(s, seq)) return { ranges: normalize([...s.ranges, [seq, seq]]), anchor: seq, cursor: seq };
  const ranges: Array<readonly [number, number]> = [];
  for (const [a, b] of s.ranges) {
    if (seq < a || seq > b) ranges.push([a, b]);
    else {
      if (a < seq) ranges.push([a, seq - 1]);
      if (seq < b) ranges.push([seq + 1, b]);
    }
  }
  return { ranges, anchor: seq, cursor: seq };
}

/** Shift+click or shift+arrow: from the anchor to here. */
export function extendTo(s: Selection, seq: number): Selection {
  const anchor = s.anchor ?? seq;
  return { ranges: [[Math.min(anchor, seq), Math.max(anchor, seq)]], anchor, cursor: seq };
}

export function selectRange(from: number, to: number, cursor: number | null): Selection {
  return to < from ? EMPTY_SELECTION : { ranges: [[from, to]], anchor: from, cursor };
}

/** How many selected messages are still in [first, end). */
export function countSelected(s: Selection, first: number, end: number): number {
  let n = 0;
  for (const [a, b] of s.ranges) n += Math.max(0, Math.min(b, end - 1) - Math.max(a, first) + 1);
  return n;
}
