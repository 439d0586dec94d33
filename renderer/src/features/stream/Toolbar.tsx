// The controls of a tail or a search: where to start, which partitions, the filter (checked as you
// type), follow or stop at the end, limit, ring size and capture; Start/Stop, Pause/Resume, export.
import { memo, useMemo, type KeyboardEvent } from 'react';
import type { StreamInfo } from '../../../../shared/model/stream';
import { Popover } from '../../components/Popover';
import { FilterIcon } from '../../components/icons';
import { FILTER_EXAMPLES, type FilterProblem } from './filter-check';
import { describeStart, FROM_PRESETS, type SearchBound, type StreamForm } from './form';
import type { ExportFormat } from './export';
import type { Phase } from './tail-session';

export interface ToolbarProps {
  form: StreamForm;
  onForm(patch: Partial<StreamForm>): void;
  info: StreamInfo | undefined;
  phase: Phase;
  /** Anything in view (to export or clear). */
  hasMessages: boolean;
  /** The current run is a search (bounded: Cancel, no Pause). */
  searchRun: boolean;
  filterProblem: FilterProblem | null;
  configError: string | null;
  /** The form differs from what the current run was started with. */
  changed: boolean;
  selected: number;
  onStart(): void;
  onStop(): void;
  onPauseResume(): void;
  onExport(format: ExportFormat): void;
  onClear(): void;
}

function PartitionPicker({ info, value, onChange, disabled }: { info: StreamInfo | undefined; value: number[] | null; onChange(v: number[] | null): void; disabled: boolean }) {
  const all = info?.partitions ?? [];
  const chosen = new Set(value ?? all.map((p) => p.partition));
  const label = !info ? 'Partitions' : value === null ? `Partitions: all ${all.length}` : value.length === 0 ? 'Partitions: none' : `Partitions: ${value.length <= 4 ? value.join(', ') : `${value.length} of ${all.length}`}`;
  const toggle = (p: number) => {
    const next = new Set(chosen);
    if (next.has(p)) next.delete(p);
    else next.add(p);
    onChange(next.size === all.length ? null : [...next].sort((a, b) => a - b));
  };
  return (
    <Popover label={label} title="Which partitions to read, with their offsets" testId="tail-partitions" panelTestId="tail-partitions-panel">
      {!info ? (
        <p className="muted small">Loading partitions…</p>
      ) : (
        <div className="partition-picker">
          <div className="partition-picker-actions">
            <button type="button" className="link-button" onClick={() => onChange(null)} disabled={disabled}>
              All
            </button>
            <button type="button" className="link-button" onClick={() => onChange([])} disabled={disabled}>
              None
            </button>
            <span className="faint small">as of when the page opened</span>
          </div>
          <table className="table compact">
            <thead>
              <tr>
                <th />
                <th>Partition</th>
                <th className="num">Low</th>
                <th className="num">High</th>
                <th className="num">Messages</th>
              </tr>
            </thead>
            <tbody>
              {all.map((p) => (
                <tr key={p.partition} onClick={() => !disabled && toggle(p.partition)} className="clickable">
                  <td>
                    <input type="checkbox" checked={chosen.has(p.partition)} onChange={() => toggle(p.partition)} disabled={disabled} aria-label={`Partition ${p.partition}`} data-testid={`partition-${p.partition}`} onClick={(e) => e.stopPropagation()} />
                  </td>
                  <td className="num">{p.partition}</td>
                  <td className="num">{p.low.toLocaleString()}</td>
                  <td className="num">{p.high.toLocaleString()}</td>
                  <td className="num">{(p.high - p.low).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Popover>
  );
}

function FromPicker({ value, onChange }: { value: string; onChange(v: string): void }) {
  const start = useMemo(() => describeStart(value), [value]);
  return (
    <div className="field-group from-picker">
      <label className="field-label" htmlFor="tail-from">
        From
      </label>
      <input
        id="tail-from"
        className={`input mono from-input ${start.ok ? '' : 'invalid'}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
        aria-invalid={!start.ok}
        aria-describedby="tail-from-hint"
        placeholder="latest"
        title={start.ok ? `Start ${start.text}` : start.error}
        data-testid="tail-from"
      />
      <Popover label="▾" title="Start positions" testId="tail-from-presets">
        {(close) => (
          <ul className="menu">
            {FROM_PRESETS.map((p) => (
              <li key={p.value}>
                <button
                  type="button"
                  className="menu-item"
                  onClick={() => {
                    onChange(p.value);
                    close();
                  }}
                >
                  <span>{p.label}</span>
                  <code className="faint">{p.value}</code>
                  <span className="menu-hint">{p.hint}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </Popover>
    </div>
  );
}

const BOUNDS: Array<[SearchBound, string]> = [
  ['newest', 'Newest N per partition'],
  ['oldest', 'Oldest N'],
  ['range', 'Time range'],
];

function SearchBounds({ form, onForm }: { form: StreamForm; onForm(p: Partial<StreamForm>): void }) {
  return (
    <div className="field-group search-bounds">
      <select className="input" value={form.searchBound} onChange={(e) => onForm({ searchBound: e.target.value as SearchBound })} aria-label="Search bound" data-testid="search-bound">
        {BOUNDS.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      {form.searchBound === 'range' ? (
        <>
          <input className="input mono time-input" value={form.searchFrom} onChange={(e) => onForm({ searchFrom: e.target.value })} placeholder="-1h or 2026-10-01T12:00Z" aria-label="From time" title="From: an ISO time (2026-10-01T12:00:00Z) or relative (-15m, -2h, -1d)" data-testid="search-from" spellCheck={false} />
          <span className="faint">to</span>
          <input className="input mono time-input" value={form.searchTo} onChange={(e) => onForm({ searchTo: e.target.value })} placeholder="now" aria-label="To time" title="To: an ISO or relative time; empty for the end of the stream" data-testid="search-to" spellCheck={false} />
        </>
      ) : (
        <input className="input num-input" value={form.searchN} onChange={(e) => onForm({ searchN: e.target.value })} inputMode="numeric" aria-label="N" title={form.searchBound === 'newest' ? 'Read the last N messages of each partition' : 'Read the first N messages (over all partitions)'} data-testid="search-n" />
      )}
    </div>
  );
}

function FilterBox({ value, onChange, problem, onSubmit }: { value: string; onChange(v: string): void; problem: FilterProblem | null; onSubmit(): void }) {
  const lines = Math.min(4, value.split('\n').length);
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter runs it; Shift+Enter makes a new line.
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      onSubmit();
    }
    if (e.key === 'Escape' && value) {
      e.preventDefault();
      onChange('');
    }
  };
  return (
    <div className={`filter-box ${problem ? 'invalid' : ''}`}>
      <FilterIcon size={14} className="filter-icon" />
      <textarea
        className="filter-input mono"
        rows={lines}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={`Filter (SQL WHERE), e.g. ${FILTER_EXAMPLES[0]}`}
        title={['A SQL WHERE clause over key, value.*, headers.*, timestamp, partition, offset. Enter runs it, Shift+Enter adds a line. Examples:', ...FILTER_EXAMPLES.map((x) => `  ${x}`)].join('\n')}
        spellCheck={false}
        aria-label="Filter"
        aria-invalid={!!problem}
        aria-describedby={problem ? 'tail-filter-error' : undefined}
        data-testid="tail-filter"
      />
    </div>
  );
}

/** The offending part of the filter, underlined, under the box. */
function FilterError({ text, problem }: { text: string; problem: FilterProblem }) {
  const lineText = text.split('\n')[problem.line - 1] ?? '';
  const col = Math.max(0, problem.column - 1);
  const len = Math.max(1, Math.min(problem.length, lineText.length - col || 1));
  const from = Math.max(0, col - 40);
  return (
    <div className="filter-error" id="tail-filter-error" role="alert" data-testid="tail-filter-error">
      <span className="filter-error-where">
        line {problem.line}, column {problem.column}
      </span>
      <span>{problem.message}</span>
      <code className="filter-snippet">
        {from > 0 && '…'}
        {lineText.slice(from, col)}
        <mark className="filter-mark">{lineText.slice(col, col + len) || ' '}</mark>
        {lineText.slice(col + len, col + len + 40)}
      </code>
    </div>
  );
}

/** Memoized: the view repaints ~30 times a second while messages stream, the toolbar only when its inputs change. */
export const Toolbar = memo(function Toolbar(p: ToolbarProps) {
  const { form, onForm, phase } = p;
  const running = phase === 'running' || phase === 'starting';
  const paused = phase === 'paused';
  const start = form.mode === 'tail' ? describeStart(form.from) : null;
  const hasMessages = p.hasMessages;
  const blocked = !!p.filterProblem || !!p.configError;
  const startLabel = form.mode === 'search' ? (running ? 'Search again' : 'Search') : running || paused ? 'Restart' : 'Start';
  return (
    <div className="stream-toolbar">
      <div className="toolbar-row">
        <div className="segmented" role="group" aria-label="Mode">
          <button type="button" className="toggle" aria-pressed={form.mode === 'tail'} onClick={() => onForm({ mode: 'tail' })} data-testid="tail-mode" title="Tail: read the stream live (or to its end)">
            Tail
          </button>
          <button type="button" className="toggle" aria-pressed={form.mode === 'search'} onClick={() => onForm({ mode: 'search' })} data-testid="search-mode" title="Search: read a bounded part of the stream (newest N, oldest N or a time range) with the filter">
            Search
          </button>
        </div>
        {form.mode === 'tail' ? <FromPicker value={form.from} onChange={(from) => onForm({ from })} /> : <SearchBounds form={form} onForm={onForm} />}
        <PartitionPicker info={p.info} value={form.partitions} onChange={(partitions) => onForm({ partitions })} disabled={false} />
        <FilterBox value={form.filter} onChange={(filter) => onForm({ filter })} problem={p.filterProblem} onSubmit={() => !blocked && p.onStart()} />
        <div className="toolbar-actions">
          <button type="button" className={`button ${p.changed || !running ? 'primary' : ''}`} onClick={p.onStart} disabled={blocked} title={blocked ? (p.filterProblem ? 'Fix the filter first' : (p.configError ?? '')) : running ? 'Start again with these settings (clears the view)' : 'Start reading (Enter in the filter)'} data-testid="tail-start">
            {startLabel}
          </button>
          <button type="button" className="button" onClick={p.onStop} disabled={!running && !paused} title="Stop reading; what was read stays in view" data-testid="tail-stop">
            Stop
          </button>
          <button
            type="button"
            className="button"
            onClick={p.onPauseResume}
            disabled={(!running && !paused) || (p.searchRun && !paused)}
            aria-pressed={paused}
            title={p.searchRun && !paused ? 'A search reads to its bound; Stop (or Cancel) ends it' : paused ? 'Go on from the next offset of every partition: nothing missed, nothing twice' : 'Stop reading for now and remember every partition’s position'}
            data-testid="tail-pause"
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
        </div>
      </div>
      <div className="toolbar-row toolbar-options">
        {form.mode === 'tail' && (
          <>
            <div className="segmented" role="group" aria-label="Follow or stop at the end">
              <button type="button" className="toggle" aria-pressed={form.follow} onClick={() => onForm({ follow: true })} data-testid="tail-follow" title="Keep reading new messages as they arrive">
                Follow
              </button>
              <button type="button" className="toggle" aria-pressed={!form.follow} onClick={() => onForm({ follow: false })} data-testid="tail-to-end" title="Stop at the end of the stream as it is at Start">
                To end
              </button>
            </div>
            <label className="field-inline">
              Limit
              <input className="input num-input" value={form.limit} onChange={(e) => onForm({ limit: e.target.value })} placeholder="none" inputMode="numeric" title="Stop after this many matching messages" data-testid="tail-limit" />
            </label>
          </>
        )}
        <label className="field-inline">
          Keep
          <input className="input num-input" value={form.ringSize} onChange={(e) => onForm({ ringSize: e.target.value })} inputMode="numeric" title="Ring size: the view keeps this many of the newest messages (memory stays flat)" data-testid="tail-ring-size" />
          newest
        </label>
        {form.mode === 'tail' && (
          <label className="field-inline capture-field" title="Also record every message read to a capture file (Parquet) in the workspace's captures folder, to replay later">
            <input type="checkbox" checked={form.capture} onChange={(e) => onForm({ capture: e.target.checked })} data-testid="tail-capture" />
            Record capture
            {form.capture && <input className="input mono capture-name" value={form.captureName} onChange={(e) => onForm({ captureName: e.target.value })} placeholder="name" aria-label="Capture name" data-testid="tail-capture-name" spellCheck={false} />}
            {form.capture && <span className="faint">.parquet</span>}
          </label>
        )}
        <span className="toolbar-hint" id="tail-from-hint">
          {p.configError ? <span className="error-text">{p.configError}</span> : start?.ok ? <span className="faint">Start {start.text}{form.follow ? ', then follow' : ', up to the end'}</span> : null}
          {p.changed && running && !p.configError && <span className="changed-hint"> · settings changed: Restart to apply</span>}
        </span>
        <div className="toolbar-actions">
          <span className="faint small">Export {p.selected ? `${p.selected.toLocaleString()} selected` : 'all in view'}</span>
          <button type="button" className="button small-button" onClick={() => p.onExport('ndjson')} disabled={!hasMessages} data-testid="export-ndjson" title="Download as newline-delimited JSON">
            NDJSON
          </button>
          <button type="button" className="button small-button" onClick={() => p.onExport('json')} disabled={!hasMessages} data-testid="export-json" title="Download as a JSON array">
            JSON
          </button>
          <button type="button" className="button small-button" onClick={p.onClear} disabled={!hasMessages} title="Empty the view (a running tail keeps filling it)" data-testid="tail-clear">
            Clear
          </button>
        </div>
      </div>
      {p.filterProblem && <FilterError text={form.filter} problem={p.filterProblem} />}
    </div>
  );
});
