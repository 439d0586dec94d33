// The SQL workspace's state, outside React so it survives leaving the page: the tabs (their SQL is
// kept in localStorage), each tab's run (the `sql.run` subscription, its progress, its result or
// error), exports, and the history of what ran. Results live in the backend; a result no longer
// shown (replaced by a new run, its tab closed) is freed with `sql.close`.
import type { ApiClient, Subscription } from '../../../../shared/api/client';
import { ApiError, toApiError } from '../../../../shared/api/errors';
import type { ResultSetInfo } from '../../../../shared/model/sql';

export type ExportFormat = 'csv' | 'parquet' | 'json' | 'ndjson';
export interface SortSpec {
  column: string;
  desc: boolean;
}

/** Where the SQL that ran starts in the editor (a selection), to put error markers back in place. */
export interface SqlOrigin {
  line: number;
  column: number;
}

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; startedAt: number; percent: number | null; sql: string; origin: SqlOrigin }
  | { status: 'done'; sql: string; elapsedMs: number; rows: number }
  | { status: 'error'; sql: string; origin: SqlOrigin; error: ApiError; elapsedMs: number }
  | { status: 'cancelled'; sql: string; elapsedMs: number };

export type ExportState =
  | { status: 'running'; format: ExportFormat; rows: number; total: number }
  | { status: 'done'; format: ExportFormat; file: string; rows: number }
  | { status: 'error'; format: ExportFormat; error: ApiError }
  | { status: 'cancelled'; format: ExportFormat };

export interface SqlTab {
  id: string;
  name: string;
  sql: string;
  run: RunState;
  /** The result on screen (kept in the backend until replaced or the tab closes). */
  result: ResultSetInfo | null;
  /** The grid's order: one column, sorted by the backend (`sql.rows` sort). */
  sort: SortSpec | null;
  exporting: ExportState | null;
}

export interface HistoryEntry {
  id: string;
  sql: string;
  /** ISO time it ran. */
  at: string;
  elapsedMs: number;
  rows: number | null;
  status: 'ok' | 'error' | 'cancelled';
  message?: string;
}

export interface SqlState {
  tabs: SqlTab[];
  activeId: string;
  history: HistoryEntry[];
}

const TABS_KEY = 'dpx.sql.tabs';
const HISTORY_KEY = 'dpx.sql.history';
const HISTORY_MAX = 200;
const DEFAULT_SQL = `-- Every product is a table named by its id; snapshot_date says which day a row is from.\nSELECT * FROM "sales.orders" LIMIT 100;\n`;

function load<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function save(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the tabs still work for this session
  }
}

let counter = 0;
const newId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

const blankTab = (id: string, name: string, sql: string): SqlTab => ({ id, name, sql, run: { status: 'idle' }, result: null, sort: null, exporting: null });

function initialState(): SqlState {
  const stored = load<{ tabs: Array<{ id: string; name: string; sql: string }>; activeId: string }>(TABS_KEY);
  const tabs = (stored?.tabs ?? []).filter((t) => t && typeof t.id === 'string' && typeof t.sql === 'string').map((t) => blankTab(t.id, String(t.name || 'Query'), t.sql));
  if (tabs.length === 0) tabs.push(blankTab(newId('t'), 'Query 1', DEFAULT_SQL));
  const activeId = tabs.some((t) => t.id === stored?.activeId) ? stored!.activeId : tabs[0]!.id;
  const history = (load<HistoryEntry[]>(HISTORY_KEY) ?? []).filter((h) => h && typeof h.sql === 'string').slice(0, HISTORY_MAX);
  return { tabs, activeId, history };
}

/** The file name an export gets: the tab's name and the time, in the backend's export folder. */
function exportName(tab: SqlTab, format: ExportFormat): string {
  const base = tab.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'query';
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
  return `${base}-${stamp}.${format}`;
}

export class SqlWorkspace {
  private state: SqlState = initialState();
  private readonly listeners = new Set<() => void>();
  private readonly runs = new Map<string, Subscription>();
  private readonly exports = new Map<string, Subscription>();
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly client: ApiClient) {}

  readonly getSnapshot = (): SqlState => this.state;
  readonly subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  private set(next: SqlState, persistTabs = false): void {
    this.state = next;
    this.listeners.forEach((l) => l());
    if (persistTabs) this.persistTabs();
  }

  private persistTabs(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      save(TABS_KEY, { tabs: this.state.tabs.map(({ id, name, sql }) => ({ id, name, sql })), activeId: this.state.activeId });
    }, 250);
  }

  tab(id: string): SqlTab | undefined {
    return this.state.tabs.find((t) => t.id === id);
  }

  private update(id: string, fn: (t: SqlTab) => SqlTab, persist = false): void {
    this.set({ ...this.state, tabs: this.state.tabs.map((t) => (t.id === id ? fn(t) : t)) }, persist);
  }

  newTab(sql = '', name?: string): string {
    const id = newId('t');
    const used = new Set(this.state.tabs.map((t) => t.name));
    let n = this.state.tabs.length + 1;
    while (used.has(`Query ${n}`)) n++;
    this.set({ ...this.state, tabs: [...this.state.tabs, blankTab(id, name ?? `Query ${n}`, sql)], activeId: id }, true);
    return id;
  }

  closeTab(id: string): void {
    const index = this.state.tabs.findIndex((t) => t.id === id);
    const tab = this.state.tabs[index];
    if (!tab) return;
    this.cancel(id);
    this.cancelExport(id);
    if (tab.result) this.free(tab.result.id);
    let tabs = this.state.tabs.filter((t) => t.id !== id);
    if (tabs.length === 0) tabs = [blankTab(newId('t'), 'Query 1', '')];
    const activeId = this.state.activeId === id ? (tabs[Math.min(index, tabs.length - 1)]!.id) : this.state.activeId;
    this.set({ ...this.state, tabs, activeId }, true);
  }

  renameTab(id: string, name: string): void {
    const clean = name.trim().slice(0, 80);
    if (clean) this.update(id, (t) => ({ ...t, name: clean }), true);
  }

  activate(id: string): void {
    if (this.tab(id)) this.set({ ...this.state, activeId: id }, true);
  }

  setSql(id: string, sql: string): void {
    if (this.tab(id)?.sql === sql) return;
    this.update(id, (t) => ({ ...t, sql }), true);
  }

  private free(resultId: string): void {
    this.client.call('sql.close', { id: resultId }).catch(() => undefined);
  }

  /** Runs `sql` in the tab; `origin` is where it starts in the editor (line/column of a selection). */
  run(id: string, sql: string, origin: SqlOrigin = { line: 1, column: 1 }): void {
    if (!sql.trim() || !this.tab(id)) return;
    this.runs.get(id)?.cancel();
    const startedAt = performance.now();
    this.update(id, (t) => ({ ...t, run: { status: 'running', startedAt, percent: null, sql, origin } }));
    const sub = this.client.subscribe(
      'sql.run',
      { sql },
      {
        onEvent: (e) => {
          if (this.runs.get(id) !== sub) return;
          if (e.kind === 'progress') {
            this.update(id, (t) => (t.run.status === 'running' ? { ...t, run: { ...t.run, percent: e.percent > 0 ? Math.min(100, e.percent) : t.run.percent } } : t));
          } else {
            this.runs.delete(id);
            const old = this.tab(id)?.result;
            if (!this.tab(id)) {
              this.free(e.result.id); // the tab closed meanwhile
              return;
            }
            if (old) this.free(old.id);
            this.update(id, (t) => ({ ...t, result: e.result, sort: null, exporting: null, run: { status: 'done', sql, elapsedMs: e.result.elapsedMs, rows: e.result.rowCount } }));
            this.record({ sql, elapsedMs: e.result.elapsedMs, rows: e.result.rowCount, status: 'ok' });
          }
        },
        onError: (error) => {
          if (this.runs.get(id) !== sub) return;
          this.runs.delete(id);
          const elapsedMs = performance.now() - startedAt;
          if (error.code === 'CANCELLED') {
            this.update(id, (t) => ({ ...t, run: { status: 'cancelled', sql, elapsedMs } }));
            this.record({ sql, elapsedMs, rows: null, status: 'cancelled' });
            return;
          }
          // The error replaces the result: what is on screen must be what the SQL in the editor gave.
          const old = this.tab(id)?.result;
          if (old) this.free(old.id);
          this.update(id, (t) => ({ ...t, result: null, sort: null, exporting: null, run: { status: 'error', sql, origin, error, elapsedMs } }));
          this.record({ sql, elapsedMs, rows: null, status: 'error', message: error.message });
        },
        onEnd: () => {
          if (this.runs.get(id) === sub) this.runs.delete(id);
        },
      },
    );
    this.runs.set(id, sub);
  }

  /** Cancels the tab's run: the subscription ends, and the backend interrupts DuckDB. */
  cancel(id: string): void {
    const sub = this.runs.get(id);
    if (!sub) return;
    this.runs.delete(id);
    sub.cancel();
    const t = this.tab(id);
    if (t?.run.status === 'running') {
      const elapsedMs = performance.now() - t.run.startedAt;
      const sql = t.run.sql;
      this.update(id, (x) => ({ ...x, run: { status: 'cancelled', sql, elapsedMs } }));
      this.record({ sql, elapsedMs, rows: null, status: 'cancelled' });
    }
  }

  isRunning(id: string): boolean {
    return this.runs.has(id);
  }

  setSort(id: string, sort: SortSpec | null): void {
    this.update(id, (t) => ({ ...t, sort }));
  }

  /** The backend no longer has the tab's result (e.g. the workspace reloaded). */
  resultLost(id: string, resultId: string, error: unknown): void {
    const t = this.tab(id);
    if (!t || t.result?.id !== resultId) return;
    const e = toApiError(error);
    this.update(id, (x) => ({ ...x, result: null, run: { status: 'error', sql: x.run.status === 'idle' ? x.sql : x.run.sql, origin: { line: 1, column: 1 }, error: new ApiError(e.code, e.message), elapsedMs: 0 } }));
  }

  export(id: string, format: ExportFormat): void {
    const tab = this.tab(id);
    if (!tab?.result) return;
    this.cancelExport(id);
    const total = tab.result.rowCount;
    this.update(id, (t) => ({ ...t, exporting: { status: 'running', format, rows: 0, total } }));
    const sub = this.client.subscribe(
      'sql.export',
      { id: tab.result.id, format, name: exportName(tab, format) },
      {
        onEvent: (e) => {
          if (this.exports.get(id) !== sub) return;
          if (e.kind === 'progress') this.update(id, (t) => ({ ...t, exporting: { status: 'running', format, rows: e.rows, total: e.total } }));
          else {
            this.exports.delete(id);
            this.update(id, (t) => ({ ...t, exporting: { status: 'done', format, file: e.file, rows: e.rows } }));
          }
        },
        onError: (error) => {
          if (this.exports.get(id) !== sub) return;
          this.exports.delete(id);
          this.update(id, (t) => ({ ...t, exporting: error.code === 'CANCELLED' ? { status: 'cancelled', format } : { status: 'error', format, error } }));
        },
        onEnd: () => {
          if (this.exports.get(id) === sub) this.exports.delete(id);
        },
      },
    );
    this.exports.set(id, sub);
  }

  cancelExport(id: string): void {
    const sub = this.exports.get(id);
    if (!sub) return;
    this.exports.delete(id);
    sub.cancel();
    const t = this.tab(id);
    if (t?.exporting?.status === 'running') {
      const format = t.exporting.format;
      this.update(id, (x) => ({ ...x, exporting: { status: 'cancelled', format } }));
    }
  }

  dismissExport(id: string): void {
    this.update(id, (t) => ({ ...t, exporting: null }));
  }

  private record(entry: Omit<HistoryEntry, 'id' | 'at'>): void {
    const e: HistoryEntry = { id: newId('h'), at: new Date().toISOString(), ...entry, elapsedMs: Math.round(entry.elapsedMs) };
    const history = [e, ...this.state.history].slice(0, HISTORY_MAX);
    this.set({ ...this.state, history });
    save(HISTORY_KEY, history);
  }

  clearHistory(): void {
    this.set({ ...this.state, history: [] });
    save(HISTORY_KEY, []);
  }
}

const workspaces = new WeakMap<ApiClient, SqlWorkspace>();

/** One workspace per connection, created on first use. */
export function sqlWorkspace(client: ApiClient): SqlWorkspace {
  let ws = workspaces.get(client);
  if (!ws) {
    ws = new SqlWorkspace(client);
    workspaces.set(client, ws);
  }
  return ws;
}
