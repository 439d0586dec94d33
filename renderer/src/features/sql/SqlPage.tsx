// `#/sql`: the SQL workspace. Tabs of SQL (kept across restarts), each run against DuckDB over the
// products' snapshots and opened Parquet files, its result paged into a virtualized grid, exported
// to a file, and the history of what ran. `#/sql?product=<id>` (the product page's "Query"
// button) opens a tab reading that product. Loaded lazily: Monaco stays out of the catalog's
// first paint.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type PointerEvent } from 'react';
import { useCall, useClient } from '../../app/backend';
import { useDocumentTitle } from '../../app/document-title';
import { hrefs, navigate } from '../../app/router';
import { Kbd } from '../../components/badges';
import { CloseIcon, EmptyIcon, ErrorIcon } from '../../components/icons';
import { EmptyState } from '../../components/states';
import { AttachDialog, tableNameFromFile, type AttachRequest } from './AttachDialog';
import { OpenedFilesDialog } from './OpenedFilesDialog';
import { tableForms } from './completion';
import { ResultGrid, type CellRef } from './ResultGrid';
import { MOD, RunBar } from './RunBar';
import { SidePanel } from './SidePanel';
import { disposeClosedModels, editorPosition, SqlEditor, type EditorHandle } from './SqlEditor';
import { sqlWorkspace, type SqlTab, type SqlWorkspace } from './workspace';
import './sql.css';

const EDITOR_H_KEY = 'dpx.sql.editorHeight';

function storedEditorHeight(): number {
  try {
    const v = Number(localStorage.getItem(EDITOR_H_KEY));
    return Number.isFinite(v) && v >= 80 ? v : 220;
  } catch {
    return 220;
  }
}

function TabName({ tab, ws }: { tab: SqlTab; ws: SqlWorkspace }) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <input
        className="sql-tab-rename"
        defaultValue={tab.name}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onBlur={(e) => {
          ws.renameTab(tab.id, e.currentTarget.value);
          setEditing(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
          if (e.key === 'Escape') {
            e.preventDefault();
            setEditing(false);
          }
        }}
        aria-label="Tab name"
        data-testid="sql-tab-rename"
      />
    );
  }
  return (
    <span className="sql-tab-name" onDoubleClick={() => setEditing(true)} title="Double-click to rename">
      {tab.name}
    </span>
  );
}

function TabBar({ ws, tabs, activeId, onAttach }: { ws: SqlWorkspace; tabs: SqlTab[]; activeId: string; onAttach(): void }) {
  return (
    <div className="sql-tabbar">
      <div className="sql-tabs" role="tablist" aria-label="SQL tabs">
        {tabs.map((t) => (
          <div key={t.id} role="tab" aria-selected={t.id === activeId} className={`sql-tab ${t.id === activeId ? 'active' : ''}`} onClick={() => ws.activate(t.id)} onAuxClick={(e) => e.button === 1 && ws.closeTab(t.id)} data-testid={`sql-tab-${t.id}`} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && ws.activate(t.id)}>
            {t.run.status === 'running' && <span className="sql-tab-dot" title="Running" />}
            {t.run.status === 'error' && <ErrorIcon size={12} className="danger" />}
            <TabName tab={t} ws={ws} />
            <button
              type="button"
              className="sql-tab-close"
              onClick={(e) => {
                e.stopPropagation();
                ws.closeTab(t.id);
              }}
              aria-label={`Close ${t.name}`}
              title="Close (Alt+W)"
            >
              <CloseIcon size={11} />
            </button>
          </div>
        ))}
        <button type="button" className="sql-tab-new icon-button" onClick={() => ws.newTab()} data-testid="sql-tab-new" aria-label="New tab" title="New tab (Alt+T)">
          +
        </button>
      </div>
      <button type="button" className="button small-button" onClick={onAttach} data-testid="attach-open" title="Query a local Parquet file or folder as a table">
        Open Parquet file or folder…
      </button>
    </div>
  );
}

function ErrorBox({ tab, onGoTo }: { tab: SqlTab; onGoTo(line: number, column: number): void }) {
  if (tab.run.status !== 'error') return null;
  const { error, origin } = tab.run;
  const line = Number(error.details?.line);
  const column = Number(error.details?.column);
  const at = Number.isFinite(line) && Number.isFinite(column) ? editorPosition(origin, line, column) : null;
  return (
    <div className="sql-error" role="alert" data-testid="sql-error">
      <ErrorIcon size={15} />
      <div className="sql-error-body">
        {/* The position DuckDB gives is within the SQL that ran (maybe a selection); the editor's is below. */}
        <div className="sql-error-message">{at ? error.message.replace(/\s*\(line \d+, column \d+\)$/, '') : error.message}</div>
        <div className="sql-error-meta">
          <code className="error-code">{error.code}</code>
          {at && (
            <button type="button" className="link-button" onClick={() => onGoTo(at.line, at.column)} data-testid="sql-error-goto">
              Go to line {at.line}, column {at.column}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

export default function SqlPage({ params }: { params: URLSearchParams }) {
  useDocumentTitle('SQL');
  const client = useClient();
  const ws = sqlWorkspace(client);
  const state = useSyncExternalStore(ws.subscribe, ws.getSnapshot);
  const tab = state.tabs.find((t) => t.id === state.activeId) ?? state.tabs[0]!;
  const schema = useCall('sql.schema', {});
  const [handle, setHandle] = useState<EditorHandle | null>(null);
  const [hasSelection, setHasSelection] = useState(false);
  const [selected, setSelected] = useState<{ resultId: string; cell: CellRef } | null>(null);
  const [attach, setAttach] = useState<AttachRequest | null>(null);
  const [showFiles, setShowFiles] = useState<string | null>(null);
  const [editorH, setEditorH] = useState(storedEditorHeight);

  // "Query" from a product page: a tab reading the product, run at once.
  const product = params.get('product');
  const handled = useRef<string | null>(null);
  useEffect(() => {
    if (!product || handled.current === product) return;
    handled.current = product;
    const id = ws.newTab(`SELECT * FROM ${tableForms(product).quoted} LIMIT 100;\n`, product);
    const sql = ws.tab(id)!.sql;
    ws.run(id, sql);
    navigate(hrefs.sql(), { replace: true });
  }, [product, ws]);

  const run = useCallback(() => {
    const current = ws.tab(ws.getSnapshot().activeId);
    if (!current) return;
    const { sql, origin } = handle?.runnable() ?? { sql: current.sql, origin: { line: 1, column: 1 } };
    ws.run(current.id, sql, origin);
  }, [handle, ws]);

  // Alt+T / Alt+W (Ctrl+T and Ctrl+W belong to the browser), and Ctrl/Cmd+Enter outside the editor.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.code === 'KeyT' || e.code === 'KeyW')) {
        e.preventDefault();
        e.stopPropagation();
        if (e.code === 'KeyT') ws.newTab();
        else ws.closeTab(ws.getSnapshot().activeId);
        return;
      }
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !(e.target instanceof Element && e.target.closest('.monaco-editor, dialog'))) {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [ws, run]);

  const tabIds = state.tabs.map((t) => t.id).join(' ');
  useEffect(() => {
    disposeClosedModels(tabIds.split(' '));
  }, [tabIds]);

  const onDropFiles = useCallback((files: File[]) => {
    const file = files[0];
    // The desktop app knows a dropped file's path; a browser never reveals it, so there it is typed.
    const path = file && window.dpx?.pathForFile ? window.dpx.pathForFile(file) : '';
    setAttach({
      name: file ? tableNameFromFile(file.name) : '',
      ...(path ? { path } : {}),
      note: path ? `“${file!.name}”` : `${file ? `“${file.name}”: ` : ''}Type the file's path (browser mode cannot read dropped files' paths)`,
    });
  }, []);

  const onAttached = (name: string) => {
    setAttach(null);
    schema.reload();
    ws.newTab(`SELECT * FROM ${tableForms(name).quoted} LIMIT 100;\n`, name);
  };

  const onLost = useCallback((error: unknown) => tab.result && ws.resultLost(tab.id, tab.result.id, error), [ws, tab.id, tab.result]);

  // The editor/result split, dragged by the bar between them.
  const split = useRef<{ y: number; h: number } | null>(null);
  const onSplitDown = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    split.current = { y: e.clientY, h: editorH };
  };
  const onSplitMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!split.current) return;
    setEditorH(Math.max(80, Math.min(window.innerHeight - 220, split.current.h + e.clientY - split.current.y)));
  };
  const onSplitUp = () => {
    split.current = null;
    try {
      localStorage.setItem(EDITOR_H_KEY, String(editorH));
    } catch {
      // not remembered, still resized
    }
  };

  const result = tab.result;
  const cell = selected && result && selected.resultId === result.id ? selected.cell : null;

  return (
    <div className="sql-page">
      <TabBar ws={ws} tabs={state.tabs} activeId={tab.id} onAttach={() => setAttach({ name: '' })} />
      <div className="sql-body">
        <SidePanel schema={schema} history={state.history} onInsert={(text) => handle?.insert(text)} onLoad={(sql) => (handle ? handle.replaceAll(sql) : ws.setSql(tab.id, sql))} onClearHistory={() => ws.clearHistory()} onAttach={() => setAttach({ name: '' })} onShowFiles={setShowFiles} />
        <div className="sql-main">
          <div className="sql-editor-pane" style={{ height: editorH }}>
            <SqlEditor tab={tab} schema={schema.data} onRun={run} onChange={(id, sql) => ws.setSql(id, sql)} onReady={setHandle} onSelection={setHasSelection} onDropFiles={onDropFiles} />
          </div>
          <div className="sql-split" role="separator" aria-orientation="horizontal" aria-label="Resize the editor" onPointerDown={onSplitDown} onPointerMove={onSplitMove} onPointerUp={onSplitUp} />
          <RunBar tab={tab} hasSelection={hasSelection} onRun={run} onCancel={() => ws.cancel(tab.id)} onExport={(f) => ws.export(tab.id, f)} onCancelExport={() => ws.cancelExport(tab.id)} onDismissExport={() => ws.dismissExport(tab.id)} />
          <ErrorBox tab={tab} onGoTo={(line, column) => handle?.goTo(line, column)} />
          <div className="sql-results">
            {result ? (
              <ResultGrid
                key={result.id}
                client={client}
                result={result}
                sort={tab.sort}
                onSort={(s) => ws.setSort(tab.id, s)}
                selected={cell}
                onSelect={(c) => setSelected(c ? { resultId: result.id, cell: c } : null)}
                onLost={onLost}
              />
            ) : tab.run.status !== 'error' ? (
              <EmptyState title={tab.run.status === 'running' ? 'Running…' : 'No result yet'} icon={<EmptyIcon size={20} />}>
                Every product is a table named by its id (<code>&quot;sales.orders&quot;</code> or <code>sales.orders</code>) with a <code>snapshot_date</code> column; <code>dpx_snapshot(&apos;sales.orders&apos;, DATE &apos;2026-10-01&apos;)</code> reads one day. Run with <Kbd>{MOD}</Kbd>
                <Kbd>Enter</Kbd>; <Kbd>Alt</Kbd>
                <Kbd>T</Kbd> opens a tab.
              </EmptyState>
            ) : null}
          </div>
        </div>
      </div>
      <AttachDialog request={attach} onClose={() => setAttach(null)} onAttached={onAttached} />
      <OpenedFilesDialog name={showFiles} onClose={() => setShowFiles(null)} />
    </div>
  );
}
