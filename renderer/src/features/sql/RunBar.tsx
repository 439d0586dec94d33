// Under the editor: Run / Cancel, what the run is doing (progress, elapsed time, rows), and the
// exports of the result (CSV, Parquet, JSON, NDJSON) with their progress and where they were saved.
import { useEffect, useState } from 'react';
import { Kbd } from '../../components/badges';
import { CopyButton } from '../../components/CopyButton';
import { plural } from '../../components/format';
import { CloseIcon } from '../../components/icons';
import { formatElapsed } from './cells';
import type { ExportFormat, ExportState, RunState, SqlTab } from './workspace';

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';

/** Time since `since` (performance.now()), ticking while shown. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(since);
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, []);
  return <span className="tabular">{formatElapsed(Math.max(0, now - since))}</span>;
}

function RunStatus({ run }: { run: RunState }) {
  switch (run.status) {
    case 'idle':
      return (
        <span className="faint">
          <Kbd>{MOD}</Kbd>
          <Kbd>Enter</Kbd> runs the query (the selection if there is one)
        </span>
      );
    case 'running':
      return (
        <span className="sql-running">
          <span className="bar small-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={run.percent ?? undefined} aria-label="Query progress">
            <span className={`bar-fill ${run.percent === null ? 'indeterminate' : 'running'}`} style={{ width: run.percent === null ? '35%' : `${run.percent}%` }} />
          </span>
          Running{run.percent !== null ? ` ${Math.round(run.percent)} %` : '…'} · <Elapsed since={run.startedAt} />
        </span>
      );
    case 'done':
      return (
        <span className="sql-done">
          <strong>{plural(run.rows, 'row')}</strong> in {formatElapsed(run.elapsedMs)}
        </span>
      );
    case 'error':
      return <span className="danger">Failed{run.elapsedMs ? ` after ${formatElapsed(run.elapsedMs)}` : ''}</span>;
    case 'cancelled':
      return <span className="warn-text">Cancelled after {formatElapsed(run.elapsedMs)}</span>;
  }
}

const FORMATS: Array<{ format: ExportFormat; label: string; hint: string }> = [
  { format: 'csv', label: 'CSV', hint: 'Comma-separated, with a header row' },
  { format: 'parquet', label: 'Parquet', hint: 'Parquet (zstd), written by DuckDB with the exact types' },
  { format: 'json', label: 'JSON', hint: 'One JSON array of row objects' },
  { format: 'ndjson', label: 'NDJSON', hint: 'One JSON object per line' },
];

function ExportStatus({ state, onCancel, onDismiss }: { state: ExportState; onCancel(): void; onDismiss(): void }) {
  const label = FORMATS.find((f) => f.format === state.format)?.label ?? state.format;
  return (
    <div className={`export-status ${state.status}`} data-testid="export-status" role="status">
      {state.status === 'running' && (
        <>
          <span className="bar small-bar">
            <span className="bar-fill running" style={{ width: `${state.total ? Math.min(100, (state.rows / state.total) * 100) : 0}%` }} />
          </span>
          <span>
            Exporting {label}… {state.rows.toLocaleString()} / {plural(state.total, 'row')}
          </span>
          <button type="button" className="button small-button" onClick={onCancel} data-testid="export-cancel">
            Cancel
          </button>
        </>
      )}
      {state.status === 'done' && (
        <>
          <span>
            Saved to <code className="export-path" data-testid="export-path">{state.file}</code> ({plural(state.rows, 'row')})
          </span>
          <CopyButton value={state.file} label="Copy path" />
        </>
      )}
      {state.status === 'error' && <span className="danger">Export failed: {state.error.message}</span>}
      {state.status === 'cancelled' && <span className="faint">{label} export cancelled</span>}
      {state.status !== 'running' && (
        <button type="button" className="icon-button" onClick={onDismiss} aria-label="Dismiss" title="Dismiss">
          <CloseIcon size={12} />
        </button>
      )}
    </div>
  );
}

export function RunBar({ tab, hasSelection, onRun, onCancel, onExport, onCancelExport, onDismissExport }: { tab: SqlTab; hasSelection: boolean; onRun(): void; onCancel(): void; onExport(f: ExportFormat): void; onCancelExport(): void; onDismissExport(): void }) {
  const running = tab.run.status === 'running';
  const exporting = tab.exporting?.status === 'running';
  return (
    <div className="sql-runbar">
      <div className="sql-runbar-row">
        <button type="button" className="button primary" onClick={onRun} data-testid="sql-run" title={`Run ${hasSelection ? 'the selection' : 'the query'} (${MOD}+Enter)`}>
          ▶ {hasSelection ? 'Run selection' : 'Run'}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={!running} data-testid="sql-cancel" title="Stop the query (DuckDB is interrupted)">
          Cancel
        </button>
        <span className="sql-status" data-testid="sql-status" data-status={tab.run.status}>
          <RunStatus run={tab.run} />
        </span>
        <span className="sql-export" role="group" aria-label="Export the result">
          <span className="faint small">Export</span>
          {FORMATS.map((f) => (
            <button key={f.format} type="button" className="button small-button" disabled={!tab.result || exporting || running} onClick={() => onExport(f.format)} data-testid={`export-${f.format}`} title={tab.result ? `${f.hint}, into the export folder` : 'Run a query first'}>
              {f.label}
            </button>
          ))}
        </span>
      </div>
      {tab.exporting && <ExportStatus state={tab.exporting} onCancel={onCancelExport} onDismiss={onDismissExport} />}
    </div>
  );
}
