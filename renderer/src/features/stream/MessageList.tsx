// The message list: a virtualized window over the session's ring (only the rows in view exist in
// the DOM), repainted when the ring's version changes (at most once per frame). It sticks to the
// newest message while scrolled to the bottom; scrolling up stops that and counts what arrives
// ("↓ N new"). While not sticking, rows dropped off the front of a full ring are compensated so
// the rows being read stay where they are.
import { defaultRangeExtractor, observeElementOffset, useVirtualizer, type Range, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import type { StreamMessage } from '../../../../shared/model/stream';
import { formatBytes } from '../../components/format';
import { isPoison, formatLocalTime, formatUtc, valuePreview } from './message-format';
import { countSelected, extendTo, isSelected, selectOne, selectRange, toggleOne, type Selection } from './selection';
import type { SessionView, TailSession } from './tail-session';

export const ROW_HEIGHT = 26;

/** Rows are keyed by slot, not by message: at 10k msg/s every visible row changes each frame, and
 * patching the text of existing rows is far cheaper than removing and creating them. */
const SLOTS = 512;

const Row = memo(function Row({ m, seq, top, selected, cursor, open, hovered }: { m: StreamMessage; seq: number; top: number; selected: boolean; cursor: boolean; open: boolean; hovered: boolean }) {
  const poison = isPoison(m);
  const firstError = m.errors[0];
  // Tooltips (UTC time, full key, every error) only on the row under the pointer: setting them on
  // every row of every frame costs more than the rest of the row.
  const tip = (kind: string) => (hovered ? tipFor(m, kind) : undefined);
  return (
    <div
      role="option"
      id={`msg-${seq}`}
      aria-selected={selected}
      data-seq={seq}
      data-testid={`message-row-${m.partition}-${m.offset}`}
      className={`msg-row${m.valid === false ? ' invalid' : ''}${poison ? ' poison' : ''}${selected ? ' selected' : ''}${cursor ? ' cursor' : ''}${open ? ' open' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
    >
      <span className="c-part num">{m.partition}</span>
      <span className="c-off num">{m.offset}</span>
      <span className="c-time" title={tip('time')}>
        <span className="t-date">{formatLocalTime(m.timestamp).slice(0, 11)}</span>
        {formatLocalTime(m.timestamp).slice(11)}
      </span>
      <span className="c-key" title={tip('key')}>
        {m.key ?? <span className="faint">null</span>}
      </span>
      <span className="c-value">
        {poison && (
          <span className="poison-badge" title={hovered ? m.errors[0] : undefined}>
            poison
          </span>
        )}
        {valuePreview(m)}
      </span>
      <span className={`c-valid ${m.valid === true ? 'ok' : m.valid === false ? 'bad' : ''}`} title={tip('valid')}>
        {m.valid === true ? '✓' : m.valid === false ? '✗' : '–'}
        {firstError && <span className="v-error"> {firstError}</span>}
      </span>
      <span className="c-size num">{formatBytes(m.size)}</span>
    </div>
  );
});

/** The tooltip of a cell of the row under the pointer. */
function tipFor(m: StreamMessage, kind: string): string {
  switch (kind) {
    case 'time':
      return `${formatUtc(m.timestamp)} · epoch ${m.timestamp}`;
    case 'key':
      return m.key ?? 'null';
    case 'valid':
      return m.errors.length ? m.errors.join('\n') : m.valid ? 'Passes every check of the contract' : 'Not checked';
    default:
      return '';
  }
}

export function MessageHeader() {
  return (
    <div className="msg-row msg-head" role="presentation">
      <span className="c-part num" title="Partition">
        P
      </span>
      <span className="c-off num">Offset</span>
      <span className="c-time" title="Kafka record timestamp, local time (hover a row for UTC)">
        Timestamp
      </span>
      <span className="c-key">Key</span>
      <span className="c-value">Value</span>
      <span className="c-valid">Valid</span>
      <span className="c-size num">Size</span>
    </div>
  );
}

export function MessageList({
  session,
  view,
  selection,
  onSelection,
  openSeq,
  onOpen,
  empty,
}: {
  session: TailSession;
  view: SessionView;
  selection: Selection;
  onSelection(s: Selection): void;
  openSeq: number | null;
  onOpen(seq: number): void;
  /** Shown over the list when it has no rows. */
  empty?: ReactNode;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const ring = session.ring;
  const count = view.size;
  const first = view.firstSeq;
  const estimateSize = useCallback(() => ROW_HEIGHT, []);
  // Sticking to the bottom: a ref for the effects and the range, state for the pill.
  const stick = useRef(true);
  // While sticking, the rows to render are the newest ones, whatever offset the virtualizer last
  // saw: new messages render at once at the bottom, with no pass over rows about to scroll away.
  const rangeExtractor = useCallback((range: Range) => {
    if (!stick.current || range.count === 0) return defaultRangeExtractor(range);
    const visible = range.endIndex - range.startIndex + 1 + range.overscan;
    const out: number[] = [];
    for (let i = Math.max(0, range.count - visible); i < range.count; i++) out.push(i);
    return out;
  }, []);
  // When this component moves the scroll position itself (rows dropped off a full ring), it tells
  // the virtualizer at once instead of waiting for the scroll event, so the rows for the new
  // position render before the browser paints: no blank frame.
  const reportOffset = useRef<((offset: number, isScrolling: boolean) => void) | null>(null);
  const observeOffset = useCallback((instance: Virtualizer<HTMLDivElement, Element>, cb: (offset: number, isScrolling: boolean) => void) => {
    reportOffset.current = cb;
    return observeElementOffset(instance, cb);
  }, []);
  // The virtualizer re-renders this component itself on scroll; nothing here relies on memoizing it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize, overscan: 8, rangeExtractor, observeElementOffset: observeOffset, useFlushSync: false });

  const [unstuckAt, setUnstuckAt] = useState<number | null>(null);
  const prevFirst = useRef(first);
  const prevCount = useRef(count);

  useLayoutEffect(() => {
    const el = scroller.current;
    const dropped = first - prevFirst.current;
    const grew = count !== prevCount.current;
    prevFirst.current = first;
    prevCount.current = count;
    if (!el) return;
    // Setting scrollTop makes the browser lay out at once, so only when it changes anything: a
    // full ring at the bottom stays at the bottom by itself. The height is known (fixed rows).
    if (stick.current) {
      if (grew) el.scrollTop = count * ROW_HEIGHT;
    } else if (dropped > 0) {
      const top = Math.max(0, el.scrollTop - dropped * ROW_HEIGHT);
      el.scrollTop = top;
      reportOffset.current?.(top, false);
    }
  }, [view.version, first, count]);

  const setStick = useCallback(
    (on: boolean) => {
      if (stick.current === on) return;
      stick.current = on;
      setUnstuckAt(on ? null : session.ring.endSeq);
    },
    [session],
  );

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT / 2;
    setStick(atBottom);
  };

  const toBottom = () => {
    setStick(true);
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  const seqAt = (e: MouseEvent) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-seq]');
    return row ? Number(row.dataset.seq) : null;
  };

  const [hovered, setHovered] = useState<number | null>(null);
  const onMouseOver = (e: MouseEvent) => {
    const seq = seqAt(e);
    if (seq !== hovered) setHovered(seq);
  };

  const onClick = (e: MouseEvent) => {
    const seq = seqAt(e);
    if (seq === null) return;
    if (e.shiftKey) onSelection(extendTo(selection, seq));
    else if (e.ctrlKey || e.metaKey) onSelection(toggleOne(selection, seq));
    else {
      onSelection(selectOne(seq));
      onOpen(seq);
    }
    // Reading a row: stop following so it does not scroll away (the pill goes back).
    if (seq < view.endSeq - 1) setStick(false);
  };

  const moveTo = (seq: number, extend: boolean) => {
    const clamped = Math.max(first, Math.min(view.endSeq - 1, seq));
    onSelection(extend ? extendTo(selection, clamped) : selectOne(clamped));
    if (openSeq !== null && !extend) onOpen(clamped);
    if (clamped === view.endSeq - 1) toBottom();
    else {
      setStick(false);
      virtualizer.scrollToIndex(clamped - first, { align: 'auto' });
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!count) return;
    const cursor = selection.cursor !== null && ring.has(selection.cursor) ? selection.cursor : null;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const visibleFirst = first + (virtualizer.getVirtualItems()[0]?.index ?? 0);
    const key = e.key;
    if ((e.ctrlKey || e.metaKey) && key.toLowerCase() === 'a') {
      e.preventDefault();
      onSelection(selectRange(first, view.endSeq - 1, cursor));
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const from = cursor ?? (key === 'ArrowUp' || key === 'PageUp' ? view.endSeq : visibleFirst - 1);
    const moves: Record<string, number> = { ArrowDown: from + 1, ArrowUp: from - 1, PageDown: from + page, PageUp: from - page, Home: first, End: view.endSeq - 1 };
    if (key in moves) {
      e.preventDefault();
      moveTo(moves[key]!, e.shiftKey);
    } else if (key === 'Enter' && cursor !== null) {
      e.preventDefault();
      onOpen(cursor);
    }
  };

  // The header lines up with the rows whatever the scrollbar takes (overlay or classic).
  const wrap = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && wrap.current) wrap.current.style.setProperty('--scrollbar', `${el.offsetWidth - el.clientWidth}px`);
  });

  const items = virtualizer.getVirtualItems();
  const newCount = unstuckAt === null ? 0 : Math.max(0, view.endSeq - unstuckAt);
  const selectedCount = countSelected(selection, first, view.endSeq);
  const activeId = selection.cursor !== null && ring.has(selection.cursor) ? `msg-${selection.cursor}` : undefined;

  return (
    <div className="msg-list-wrap" ref={wrap}>
      <MessageHeader />
      <div
        ref={scroller}
        className="msg-scroll"
        role="listbox"
        aria-label={`Messages: ${count.toLocaleString()} in view${selectedCount ? `, ${selectedCount.toLocaleString()} selected` : ''}`}
        aria-multiselectable="true"
        aria-activedescendant={activeId}
        tabIndex={0}
        data-testid="message-list"
        data-count={count}
        onScroll={onScroll}
        onClick={onClick}
        onMouseOver={onMouseOver}
        onMouseLeave={() => setHovered(null)}
        onKeyDown={onKeyDown}
      >
        <div className="msg-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const seq = first + item.index;
            const m = ring.at(item.index);
            if (!m) return null;
            return <Row key={item.index % SLOTS} m={m} seq={seq} top={item.start} selected={isSelected(selection, seq)} cursor={selection.cursor === seq} open={openSeq === seq} hovered={hovered === seq} />;
          })}
        </div>
        {count === 0 && empty && <div className="msg-empty">{empty}</div>}
      </div>
      {newCount > 0 && (
        <button type="button" className="new-pill" onClick={toBottom} data-testid="new-messages-pill">
          ↓ {newCount.toLocaleString()} new
        </button>
      )}
      {unstuckAt !== null && newCount === 0 && count > 0 && (
        <button type="button" className="new-pill quiet" onClick={toBottom} title="Scroll to the newest message and follow">
          ↓ Newest
        </button>
      )}
    </div>
  );
}
