// Beside the editor: the tables a query can read (products and opened files, from `sql.schema`)
// with their columns, days and files, the files left out of them, and the history of what ran.
// A click on a table or column name inserts it at the cursor; a click on a history entry loads
// its SQL into the editor.
import { useState } from 'react';
import type { SqlSchema } from '../../../../shared/model/sql';
import type { CallResult } from '../../app/backend';
import { plural } from '../../components/format';
import { BatchIcon, ChevronRightIcon, ErrorIcon, WarningIcon } from '../../components/icons';
import { ErrorState, SkeletonLines } from '../../components/states';
import { formatElapsed } from './cells';
import { quoteIdent, tableForms } from './completion';
import type { HistoryEntry } from './workspace';

type Table = SqlSchema['tables'][number];

function TableItem({ table, onInsert, onShowFiles }: { table: Table; onInsert(text: string): void; onShowFiles(name: string): void }) {
  const [open, setOpen] = useState(false);
  const name = tableForms(table.name).quoted;
  return (
    <li className="sql-table" data-testid={`sql-table-${table.name}`}>
      <div className="sql-table-row">
        <button type="button" className="sql-table-toggle" aria-expanded={open} onClick={() => setOpen(!open)} aria-label={open ? `Hide the columns of ${table.name}` : `Show the columns of ${table.name}`}>
          <ChevronRightIcon size={12} />
        </button>
        <button type="button" className="sql-table-name" onClick={() => onInsert(name)} title={`Insert ${name}`}>
          {table.product ? <BatchIcon size={13} className="sql-table-icon" /> : <span className="sql-file-icon">file</span>}
          <span className="mono">{table.name}</span>
        </button>
        {table.product ? (
          <span className="sql-table-meta faint" title={`${plural(table.days, 'day')} · ${plural(table.files, 'file')} · ${plural(table.columns.length, 'column')}`}>
            {plural(table.days, 'day')}
          </span>
        ) : (
          <button type="button" className="link-button sql-table-meta" onClick={() => onShowFiles(table.name)} title={`The files of ${table.name}: rows, row groups, column statistics`} data-testid={`sql-files-${table.name}`}>
            {plural(table.files, 'file')}
          </button>
        )}
      </div>
      {open && (
        <ul className="sql-columns">
          {table.columns.map((c) => (
            <li key={c.name}>
              <button type="button" className="sql-column" onClick={() => onInsert(quoteIdent(c.name))} title={c.description ? `${c.name}: ${c.description}` : `Insert ${c.name}`}>
                <span className="mono">{c.name}</span>
                <span className="sql-column-type mono">{c.type}</span>
              </button>
            </li>
          ))}
          <li className="faint small sql-table-foot">
            {plural(table.days, 'day')} · {plural(table.files, 'file')}
          </li>
        </ul>
      )}
    </li>
  );
}

function TablesList({ schema, onInsert, onAttach, onShowFiles }: { schema: CallResult<SqlSchema>; onInsert(text: string): void; onAttach(): void; onShowFiles(name: string): void }) {
  if (schema.error) {
    return (
      <ErrorState error={schema.error} title="Could not read the tables">
        <button type="button" className="button" onClick={schema.reload}>
          Retry
        </button>
      </ErrorState>
    );
  }
  if (!schema.data) return <SkeletonLines lines={5} />;
  const { tables, problems } = schema.data;
  const products = tables.filter((t) => t.product);
  const files = tables.filter((t) => !t.product);
  return (
    <div className="sql-tables">
      <h3 className="sql-side-heading">
        Products <span className="count">{products.length}</span>
      </h3>
      <ul className="sql-table-list">
        {products.map((t) => (
          <TableItem key={t.name} table={t} onInsert={onInsert} onShowFiles={onShowFiles} />
        ))}
      </ul>
      <h3 className="sql-side-heading">
        Opened files <span className="count">{files.length}</span>
      </h3>
      {files.length > 0 ? (
        <ul className="sql-table-list">
          {files.map((t) => (
            <TableItem key={t.name} table={t} onInsert={onInsert} onShowFiles={onShowFiles} />
          ))}
        </ul>
      ) : (
        <p className="faint small sql-side-note">
          <button type="button" className="link-button" onClick={onAttach}>
            Open a Parquet file or folder
          </button>{' '}
          to query it as a table.
        </p>
      )}
      {problems.length > 0 && (
        <div className="sql-problems" data-testid="sql-problems">
          <h3 className="sql-side-heading warn">
            <WarningIcon size={13} /> Files left out <span className="count">{problems.length}</span>
          </h3>
          <ul>
            {problems.map((p) => (
              <li key={`${p.table}\0${p.file}`} title={p.message}>
                <code>{p.table}</code>
                <span className="break">{p.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

const firstLine = (sql: string) =>
  sql
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('--'))
    .join(' ')
    .slice(0, 200) || sql.trim().slice(0, 200);

function HistoryList({ history, onLoad, onClear }: { history: HistoryEntry[]; onLoad(sql: string): void; onClear(): void }) {
  return (
    <div className="sql-history" data-testid="sql-history">
      {history.length === 0 ? (
        <p className="faint small sql-side-note">Queries you run are listed here; click one to load it into the editor.</p>
      ) : (
        <>
          <ul className="sql-history-list">
            {history.map((h) => {
              const at = new Date(h.at);
              return (
                <li key={h.id}>
                  <button type="button" className={`sql-history-item ${h.status}`} onClick={() => onLoad(h.sql)} title={`${h.sql}\n\n${at.toLocaleString()}${h.message ? `\n${h.message}` : ''}`} data-testid="sql-history-item">
                    <span className="sql-history-sql mono">{firstLine(h.sql)}</span>
                    <span className="sql-history-meta">
                      {h.status === 'error' ? <ErrorIcon size={12} className="danger" /> : h.status === 'cancelled' ? <span className="faint">cancelled</span> : <span>{plural(h.rows ?? 0, 'row')}</span>}
                      <span className="faint">{formatElapsed(h.elapsedMs)}</span>
                      <span className="faint">{at.toLocaleTimeString()}</span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          <button type="button" className="link-button sql-history-clear" onClick={onClear}>
            Clear history
          </button>
        </>
      )}
    </div>
  );
}

export function SidePanel({
  schema,
  history,
  onInsert,
  onLoad,
  onClearHistory,
  onAttach,
  onShowFiles,
}: {
  schema: CallResult<SqlSchema>;
  history: HistoryEntry[];
  onInsert(text: string): void;
  onLoad(sql: string): void;
  onClearHistory(): void;
  onAttach(): void;
  onShowFiles(name: string): void;
}) {
  const [view, setView] = useState<'tables' | 'history'>('tables');
  return (
    <aside className="sql-side" aria-label="Tables and history">
      <div className="sql-side-tabs" role="tablist">
        <button type="button" role="tab" className="tab" aria-selected={view === 'tables'} onClick={() => setView('tables')} data-testid="sql-side-tables">
          Tables
        </button>
        <button type="button" role="tab" className="tab" aria-selected={view === 'history'} onClick={() => setView('history')} data-testid="sql-side-history">
          History {history.length > 0 && <span className="count">{history.length}</span>}
        </button>
      </div>
      <div className="sql-side-body">
        {view === 'tables' ? <TablesList schema={schema} onInsert={onInsert} onAttach={onAttach} onShowFiles={onShowFiles} /> : <HistoryList history={history} onLoad={onLoad} onClear={onClearHistory} />}
      </div>
    </aside>
  );
}
