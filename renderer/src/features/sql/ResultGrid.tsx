// The result grid: a window over a result the backend keeps. Only the rows and columns in view
// exist in the DOM; rows come in pages (result-pages.ts) as the user scrolls. Past ~16 million
// pixels (browsers stop laying out taller boxes, ~650k rows) the scrollbar maps proportionally onto
// the rows, so a result of any size scrolls from top to bottom. Headers sort on the backend
// (click: ascending, descending, off), drag their edge to resize (double-click: fit), and a click
// on a cell opens it in the detail panel (arrows move, Esc closes).
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import type { ApiClient } from '../../../../shared/api/client';
import type { ResultSetInfo } from '../../../../shared/model/sql';
import { cellPreview, initialWidth, isNested, isNumericType, shortType } from './cells';
import { CellDetail } from './CellDetail';
import { ResultPages, type Row } from './result-pages';
import type { SortSpec } from './workspace';

export const ROW_H = 24;
const HEADER_H = 40;
const MAX_DOM_PX = 16_000_000;
const OVERSCAN_ROWS = 12;
const OVERSCAN_PX = 240;
const MIN_COL = 40;

type Column = ResultSetInfo['columns'][number];

export interface CellRef {
  row: number;
  col: number;
}

interface Layout {
  lefts: number[];
  widths: number[];
  numeric: boolean[];
  total: number;
  gutter: number;
}

/** Where the grid of a result was scrolled, so coming back to a tab lands where it was. */
const scrollMemory = new Map<string, { top: number; left: number }>();

const GridRow = memo(function GridRow({ index, row, c0, c1, layout, selectedCol }: { index: number; row: Row | undefined; c0: number; c1: number; layout: Layout; selectedCol: number }) {
  const cells = [];
  if (row) {
    for (let c = c0; c <= c1; c++) {
      const v = row[c];
      const isNull = v === null || v === undefined;
      const cls = `rg-cell${layout.numeric[c] ? ' num' : ''}${isNull ? ' null' : ''}${isNested(v) ? ' nested' : ''}${c === selectedCol ? ' selected' : ''}`;
      cells.push(
        <div key={c} className={cls} data-col={c} style={{ left: layout.gutter + layout.lefts[c]!, width: layout.widths[c] }}>
          {isNull ? 'NULL' : cellPreview(v)}
        </div>,
      );
    }
  }
  return (
    <div className={`rg-row${index % 2 ? ' odd' : ''}`} data-row={index} data-testid={`result-row-${index}`} style={{ top: index * ROW_H, width: layout.gutter + layout.total }}>
      <div className="rg-gutter" style={{ width: layout.gutter }}>
        {index + 1}
      </div>
      {!row && <div className="rg-pending" style={{ left: layout.gutter + 8, width: Math.min(layout.total, 600) - 16 }} />}
      {cells}
    </div>
  );
});

function SortMark({ sort, column }: { sort: SortSpec | null; column: string }) {
  if (sort?.column !== column) return null;
  return (
    <span className="rg-sort" aria-hidden="true">
      {sort.desc ? '▼' : '▲'}
    </span>
  );
}

export function ResultGrid({ client, result, sort, onSort, selected, onSelect, onLost }: { client: ApiClient; result: ResultSetInfo; sort: SortSpec | null; onSort(sort: SortSpec | null): void; selected: CellRef | null; onSelect(cell: CellRef | null): void; onLost(error: unknown): void }) {
  const { columns, rowCount, id } = result;
  const sortKey = sort ? `${sort.column}\0${sort.desc}` : '';
  // A new page cache per order: rows of another order are other rows.
  const pages = useMemo(() => new ResultPages(client, id, rowCount, columns.length, sort), [client, id, rowCount, columns.length, sort]);
  useSyncExternalStore(pages.subscribe, pages.getVersion);
  useEffect(() => () => pages.dispose(), [pages]);

  const error = pages.error;
  useEffect(() => {
    if (error && (error.code === 'NOT_FOUND' || error.code === 'INTERNAL')) onLost(error);
  }, [error, onLost]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState(() => scrollMemory.get(id) ?? { top: 0, left: 0 });
  const [viewport, setViewport] = useState({ w: 800, h: 400 });
  const direction = useRef(1);

  // Column widths: from names, types and the first page once it is here, then the user's drags.
  const [autoWidths, setAutoWidths] = useState<number[] | null>(null);
  const [userWidths, setUserWidths] = useState<Record<number, number>>({});
  useEffect(() => {
    const sample = () => {
      const first = pages.firstPage();
      if (!first) return false;
      setAutoWidths((w) => w ?? columns.map((c, i) => initialWidth(c.name, c.type, first.slice(0, 60).map((r) => r[i]))));
      return true;
    };
    if (sample()) return;
    const off = pages.subscribe(() => {
      if (sample()) off();
    });
    return off;
  }, [pages, columns]);

  const layout = useMemo<Layout>(() => {
    const widths = columns.map((c, i) => userWidths[i] ?? autoWidths?.[i] ?? initialWidth(c.name, c.type, []));
    const lefts: number[] = [];
    let x = 0;
    for (const w of widths) {
      lefts.push(x);
      x += w;
    }
    const gutter = Math.max(44, String(rowCount).length * 7.5 + 18);
    return { lefts, widths, numeric: columns.map((c) => isNumericType(c.type)), total: x, gutter };
  }, [columns, userWidths, autoWidths, rowCount]);

  // Vertical geometry: the DOM height is capped; k maps the scrollbar onto the real rows.
  const bodyH = Math.max(0, viewport.h - HEADER_H);
  const totalH = rowCount * ROW_H;
  const domH = Math.min(totalH, MAX_DOM_PX);
  const k = domH > bodyH && totalH > domH ? (totalH - bodyH) / (domH - bodyH) : 1;
  const virtualTop = scroll.top * k;
  const shift = scroll.top - virtualTop;
  const first = Math.max(0, Math.floor(virtualTop / ROW_H) - OVERSCAN_ROWS);
  const last = Math.min(rowCount - 1, Math.ceil((virtualTop + bodyH) / ROW_H) + OVERSCAN_ROWS);

  // Visible columns (binary search on the left edges).
  const { c0, c1 } = useMemo(() => {
    const { lefts, widths } = layout;
    if (lefts.length === 0) return { c0: 0, c1: -1 };
    const from = scroll.left - OVERSCAN_PX;
    const to = scroll.left + viewport.w + OVERSCAN_PX;
    let lo = 0;
    let hi = lefts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lefts[mid]! + widths[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end + 1 < lefts.length && lefts[end + 1]! < to) end++;
    return { c0: lo, c1: end };
  }, [layout, scroll.left, viewport.w]);

  useEffect(() => {
    pages.want(first + OVERSCAN_ROWS, last - OVERSCAN_ROWS, direction.current);
  }, [pages, first, last]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const saved = scrollMemory.get(id);
    if (saved) {
      el.scrollTop = saved.top;
      el.scrollLeft = saved.left;
    }
    const ro = new ResizeObserver(() => setViewport({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, [id]);

  // A new order starts at the top.
  const firstSort = useRef(sortKey);
  useLayoutEffect(() => {
    if (firstSort.current === sortKey) return;
    firstSort.current = sortKey;
    const el = scrollRef.current;
    if (el) el.scrollTop = 0;
  }, [sortKey]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const top = el.scrollTop;
    const left = el.scrollLeft;
    direction.current = top >= scroll.top ? 1 : -1;
    // Keep the rows under the scroll position in this very frame (the render follows).
    if (bodyRef.current) bodyRef.current.style.transform = `translateY(${top - top * k}px)`;
    scrollMemory.set(id, { top, left });
    setScroll({ top, left });
  };

  // Column resizing by dragging the header's right edge.
  const drag = useRef<{ col: number; x: number; w: number } | null>(null);
  const onResizeDown = (e: PointerEvent<HTMLSpanElement>, col: number) => {
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { col, x: e.clientX, w: layout.widths[col]! };
  };
  const onResizeMove = (e: PointerEvent<HTMLSpanElement>) => {
    const d = drag.current;
    if (!d) return;
    const w = Math.max(MIN_COL, Math.round(d.w + e.clientX - d.x));
    setUserWidths((u) => ({ ...u, [d.col]: w }));
  };
  const onResizeUp = (e: PointerEvent<HTMLSpanElement>) => {
    drag.current = null;
    e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const fitColumn = (col: number) => {
    const sample: unknown[] = [];
    for (let r = Math.max(0, Math.floor(virtualTop / ROW_H)); r <= last && sample.length < 200; r++) {
      const row = pages.row(r);
      if (row) sample.push(row[col]);
    }
    const c = columns[col]!;
    setUserWidths((u) => ({ ...u, [col]: Math.min(640, Math.max(initialWidth(c.name, c.type, sample), MIN_COL)) }));
  };

  const cycleSort = (column: string) => {
    if (sort?.column !== column) onSort({ column, desc: false });
    else if (!sort.desc) onSort({ column, desc: true });
    else onSort(null);
  };

  const scrollIntoView = useCallback(
    (cell: CellRef) => {
      const el = scrollRef.current;
      if (!el) return;
      const rowTop = cell.row * ROW_H;
      let vTop = el.scrollTop * k;
      if (rowTop < vTop) vTop = rowTop;
      else if (rowTop + ROW_H > vTop + bodyH) vTop = rowTop + ROW_H - bodyH;
      el.scrollTop = vTop / k;
      const left = layout.lefts[cell.col] ?? 0;
      const w = layout.widths[cell.col] ?? 0;
      const visibleW = el.clientWidth - layout.gutter;
      if (left < el.scrollLeft) el.scrollLeft = left;
      else if (left + w > el.scrollLeft + visibleW) el.scrollLeft = Math.min(left, left + w - visibleW);
    },
    [k, bodyH, layout],
  );

  const onBodyClick = (e: MouseEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    const cell = target.closest<HTMLElement>('[data-col]');
    const row = target.closest<HTMLElement>('[data-row]');
    if (!cell || !row) return;
    const next = { row: Number(row.dataset.row), col: Number(cell.dataset.col) };
    onSelect(next);
    scrollRef.current?.focus({ preventScroll: true });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape' && selected) {
      e.preventDefault();
      e.stopPropagation();
      onSelect(null);
      return;
    }
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (!selected) {
      // The first key into the grid picks the top-left cell in view.
      if (!/^(Arrow|Page|Home$|End$|Enter$)/.test(e.key) || rowCount === 0 || columns.length === 0) return;
      e.preventDefault();
      onSelect({ row: Math.min(rowCount - 1, Math.ceil(virtualTop / ROW_H)), col: c0 });
      return;
    }
    const page = Math.max(1, Math.floor(bodyH / ROW_H) - 1);
    const moves: Record<string, [number, number]> = { ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowRight: [0, 1], ArrowLeft: [0, -1], PageDown: [page, 0], PageUp: [-page, 0], Tab: [0, e.shiftKey ? -1 : 1] };
    let next: CellRef | null = null;
    const m = moves[e.key];
    if (m) next = { row: selected.row + m[0], col: selected.col + m[1] };
    else if (e.key === 'Home') next = { row: 0, col: selected.col };
    else if (e.key === 'End') next = { row: rowCount - 1, col: selected.col };
    if (!next) return;
    e.preventDefault();
    next = { row: Math.min(rowCount - 1, Math.max(0, next.row)), col: Math.min(columns.length - 1, Math.max(0, next.col)) };
    onSelect(next);
    scrollIntoView(next);
  };

  const selectedColumn = selected ? columns[selected.col] : undefined;
  const selectedRow = selected ? pages.row(selected.row) : undefined;

  const rows = [];
  for (let i = first; i <= last; i++) {
    rows.push(<GridRow key={i} index={i} row={pages.row(i)} c0={c0} c1={c1} layout={layout} selectedCol={selected?.row === i ? selected.col : -1} />);
  }

  const headers = [];
  for (let c = c0; c <= c1; c++) {
    const col: Column = columns[c]!;
    const active = sort?.column === col.name;
    headers.push(
      <div
        key={c}
        role="columnheader"
        aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : 'none'}
        className={`rg-hcell${layout.numeric[c] ? ' num' : ''}${active ? ' sorted' : ''}`}
        style={{ left: layout.gutter + layout.lefts[c]!, width: layout.widths[c] }}
        data-testid={`result-header-${col.name}`}
        title={`${col.name} · ${col.type}\nClick to sort (ascending, descending, off); drag the edge to resize`}
        onClick={() => cycleSort(col.name)}
      >
        <span className="rg-hname">
          {col.name}
          <SortMark sort={sort} column={col.name} />
        </span>
        <span className="rg-htype">{shortType(col.type)}</span>
        <span className="rg-resize" onPointerDown={(e) => onResizeDown(e, c)} onPointerMove={onResizeMove} onPointerUp={onResizeUp} onClick={(e) => e.stopPropagation()} onDoubleClick={() => fitColumn(c)} aria-hidden="true" />
      </div>,
    );
  }

  return (
    <div className="rg" data-testid="result-grid" data-rows={rowCount} role="grid" aria-rowcount={rowCount + 1} aria-colcount={columns.length}>
      <div className="rg-scroll" ref={scrollRef} onScroll={onScroll} tabIndex={0} onKeyDown={onKeyDown} aria-label="Result rows">
        <div className="rg-canvas" style={{ width: layout.gutter + layout.total, height: HEADER_H + domH }}>
          <div className="rg-head" style={{ width: layout.gutter + layout.total, height: HEADER_H }} role="row">
            <div className="rg-corner" style={{ width: layout.gutter }} title={`${rowCount.toLocaleString()} rows`}>
              #
            </div>
            {headers}
          </div>
          <div className="rg-body" ref={bodyRef} style={{ top: HEADER_H, transform: `translateY(${shift}px)` }} onClick={onBodyClick}>
            {rows}
          </div>
        </div>
        {rowCount === 0 && <div className="rg-empty">No rows</div>}
      </div>
      {error && error.code !== 'NOT_FOUND' && error.code !== 'INTERNAL' && (
        <div className="rg-error" role="alert">
          Could not load rows: {error.message}
        </div>
      )}
      {selectedColumn && selected && <CellDetail column={selectedColumn} row={selected.row} loaded={selectedRow !== undefined} value={selectedRow?.[selected.col]} onClose={() => onSelect(null)} />}
    </div>
  );
}
