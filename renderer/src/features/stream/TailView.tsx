// The stream view: toolbar, (search progress), the message list with its drawer, and the status
// bar, around one TailSession that lives as long as the page.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Product, SchemaObject } from '../../../../shared/model/product';
import type { StreamInfo, StreamMessage, StreamTarget } from '../../../../shared/model/stream';
import { useClient } from '../../app/backend';
import { isTypingTarget, useKeys } from '../../app/keyboard';
import { WarningIcon, ErrorIcon } from '../../components/icons';
import { Banner, EmptyState, ErrorState } from '../../components/states';
import { exportBaseName, exportMessages, type ExportFormat } from './export';
import { checkFilter } from './filter-check';
import { buildConfig, DEFAULT_FORM, defaultCaptureName, ringSizeOf, type StreamForm } from './form';
import { MessageDrawer } from './MessageDrawer';
import { MessageList } from './MessageList';
import { SearchProgress } from './SearchProgress';
import { countSelected, EMPTY_SELECTION, isSelected, selectRange, type Selection } from './selection';
import { StatusBar } from './StatusBar';
import { TailSession, type SessionView } from './tail-session';
import { Toolbar } from './Toolbar';
import { useStore } from '../../app/store';

/** The schema object describing the topic's records, for the drawer's field docs. */
function schemaFor(product: Product | undefined, topic: string | undefined): SchemaObject | null {
  if (!product?.schema.length) return null;
  return product.schema.find((s) => s.physicalName === topic) ?? product.schema.find((s) => s.name === topic) ?? product.schema[0]!;
}

/** The fields of the form that make a run what it is (ring size and capture name aside). */
const runKey = (f: StreamForm) => JSON.stringify([f.mode, f.from, f.partitions, f.filter.trim(), f.follow, f.limit.trim(), f.searchBound, f.searchN, f.searchFrom, f.searchTo]);

function ListPlaceholder({ view, info }: { view: SessionView; info: StreamInfo | undefined }): ReactNode {
  const filtered = !!view.config?.filter;
  switch (view.phase) {
    case 'idle':
      return (
        <EmptyState title="Ready when you are">
          Pick where to start (<code>latest</code>, <code>earliest</code>, <code>last:100</code>, an offset or a time like <code>-15m</code>), optionally a filter, then press <strong>Start</strong>.
          {info && !info.live && <> This stream replays a recorded capture, so start from <code>earliest</code> to see its messages.</>}
        </EmptyState>
      );
    case 'starting':
      return <EmptyState title="Connecting…">{info?.source ?? ''}</EmptyState>;
    case 'paused':
      return <EmptyState title="Paused">Resume goes on from where every partition stopped.</EmptyState>;
    case 'failed':
      return view.error ? <ErrorState error={view.error} title={view.error.code === 'BAD_REQUEST' ? 'The tail was refused' : 'The tail failed'} /> : null;
    case 'ended':
      return (
        <EmptyState title={filtered ? 'Nothing matched the filter' : 'No messages'}>
          {view.endMessage ?? 'The tail ended.'}
          {view.config?.from.kind === 'latest' && !view.started?.live && <> A replay from <code>latest</code> starts at its end: start from <code>earliest</code>.</>}
        </EmptyState>
      );
    case 'running':
      if (view.state === 'live' || view.state === 'caught-up') {
        return (
          <div className="waiting" data-testid="waiting">
            <span className="waiting-dot" aria-hidden="true" />
            Waiting for messages…{filtered && view.stats.scanned > 0 ? ` (${view.stats.scanned.toLocaleString()} read, none matched yet)` : ''}
          </div>
        );
      }
      return (
        <div className="waiting">
          <span className="waiting-dot" aria-hidden="true" />
          {view.config?.search ? 'Searching' : 'Reading'}…{filtered && view.stats.scanned > 0 ? ` ${view.stats.scanned.toLocaleString()} read, none matched yet` : ''}
        </div>
      );
  }
}

export function TailView({ target, info, product, defaultFrom }: { target: StreamTarget; info: StreamInfo; product?: Product; defaultFrom: string }) {
  const client = useClient();
  const [session] = useState(() => new TailSession(client));
  useEffect(() => () => session.dispose(), [session]);
  const view = useStore(session.view);

  const [form, setForm] = useState<StreamForm>(() => ({ ...DEFAULT_FORM, from: defaultFrom }));
  const [runForm, setRunForm] = useState<string | null>(null);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [open, setOpen] = useState<{ seq: number; message: StreamMessage } | null>(null);
  /** Bumped by Start: the list starts fresh (following the newest) for every run. */
  const [runs, setRuns] = useState(0);
  const listFocus = useRef<HTMLDivElement>(null);

  const topic = view.started?.topic ?? info?.topic ?? ('capture' in target ? target.capture : 'product' in target ? target.product : target.topic);
  const schema = useMemo(() => schemaFor(product, topic), [product, topic]);
  const filterProblem = useMemo(() => checkFilter(form.filter), [form.filter]);
  const built = useMemo(() => buildConfig(form, target), [form, target]);
  const ringSize = ringSizeOf(form);
  const configError = 'error' in built ? built.error : typeof ringSize === 'string' ? ringSize : null;
  const changed = runForm !== null && runForm !== runKey(form);

  const onForm = useCallback(
    (patch: Partial<StreamForm>) => {
      setForm((f) => {
        const next = { ...f, ...patch };
        if (patch.capture && !next.captureName) next.captureName = defaultCaptureName(topic);
        return next;
      });
      if (patch.ringSize !== undefined) {
        const size = ringSizeOf({ ...DEFAULT_FORM, ringSize: patch.ringSize });
        if (typeof size === 'number') session.setCapacity(size);
      }
    },
    [session, topic],
  );

  const focusList = useCallback(() => listFocus.current?.querySelector<HTMLElement>('[role="listbox"]')?.focus(), []);
  const closeDrawer = useCallback(() => {
    setOpen(null);
    focusList();
  }, [focusList]);

  const start = useCallback(() => {
    const b = buildConfig(form, target);
    const size = ringSizeOf(form);
    if ('error' in b || checkFilter(form.filter) || typeof size === 'string') return;
    session.setCapacity(size);
    session.start(b.config);
    setRunForm(runKey(form));
    setRuns((n) => n + 1);
    setSelection(EMPTY_SELECTION);
    setOpen(null);
    listFocus.current?.querySelector<HTMLElement>('[role="listbox"]')?.focus();
  }, [form, target, session]);

  const stop = useCallback(() => session.stop(), [session]);
  const pauseResume = useCallback(() => (session.current.phase === 'paused' ? session.resume() : session.pause()), [session]);
  const clear = useCallback(() => {
    session.clear();
    setSelection(EMPTY_SELECTION);
  }, [session]);

  const openSeq = useCallback(
    (seq: number) => {
      const message = session.ring.bySeq(seq);
      if (message) setOpen({ seq, message });
    },
    [session],
  );

  // Read at click time, so the toolbar need not re-render when the selection changes.
  const selectionRef = useRef(selection);
  useEffect(() => {
    selectionRef.current = selection;
  });
  const exportNow = useCallback(
    (format: ExportFormat) => {
      const r = session.ring;
      const sel = selectionRef.current;
      const any = countSelected(sel, r.firstSeq, r.endSeq) > 0;
      const out: StreamMessage[] = [];
      for (let i = 0; i < r.size; i++) if (!any || isSelected(sel, r.firstSeq + i)) out.push(r.at(i)!);
      exportMessages(out, format, exportBaseName(topic));
    },
    [session, topic],
  );

  // Ctrl/Cmd+A selects every message in view, unless the user is typing or reading the drawer.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'a' || e.altKey || e.shiftKey) return;
      if (isTypingTarget(e.target) || (e.target instanceof Element && e.target.closest('.drawer, dialog'))) return;
      const r = session.ring;
      if (!r.size) return;
      e.preventDefault();
      setSelection((s) => selectRange(r.firstSeq, r.endSeq - 1, s.cursor));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  useKeys({
    Escape: () => {
      if (open) return void closeDrawer();
      if (selection.ranges.length) return void setSelection(EMPTY_SELECTION);
      return false;
    },
  });

  const selected = countSelected(selection, view.firstSeq, view.endSeq);
  const search = form.mode === 'search' || view.config?.search;
  const showProgress = !!view.config?.search && view.phase !== 'idle';

  return (
    <>
      <Toolbar
        form={form}
        onForm={onForm}
        info={info}
        phase={view.phase}
        hasMessages={view.size > 0}
        searchRun={!!view.config?.search}
        filterProblem={filterProblem}
        configError={configError}
        changed={changed}
        selected={selected}
        onStart={start}
        onStop={stop}
        onPauseResume={pauseResume}
        onExport={exportNow}
        onClear={clear}
      />
      {search && showProgress && <SearchProgress view={view} onCancel={() => session.stop()} />}
      {view.phase === 'running' && view.state === 'reconnecting' && (
        <Banner tone="warning" icon={<WarningIcon />} testId="tail-reconnecting">
          <strong>Reconnecting:</strong> {view.stateMessage ?? 'the connection to the broker broke'}. The tail goes on from the last position read, with no gap.
        </Banner>
      )}
      {view.phase === 'failed' && view.error && view.size > 0 && (
        <Banner tone="error" icon={<ErrorIcon />} testId="tail-error">
          <strong>{view.error.code}</strong> {view.error.message}
          {view.error.details && <span className="faint"> ({Object.entries(view.error.details).map(([k, v]) => `${k}: ${String(v)}`).join(', ')})</span>}
        </Banner>
      )}
      <div className={`stream-body ${open ? 'with-drawer' : ''}`} ref={listFocus}>
        <MessageList key={runs} session={session} view={view} selection={selection} onSelection={setSelection} openSeq={open?.seq ?? null} onOpen={openSeq} empty={<ListPlaceholder view={view} info={info} />} />
        {open && (
          <MessageDrawer
            message={open.message}
            target={target}
            topic={topic}
            schema={schema}
            onClose={closeDrawer}
          />
        )}
      </div>
      <StatusBar view={view} info={info} selected={selected} />
    </>
  );
}
