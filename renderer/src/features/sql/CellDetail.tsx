// One cell in full, beside the grid: long text unclipped, nested values (STRUCT, LIST, MAP) as
// indented JSON, NULL as NULL, and a copy button. The value is shown as DuckDB gave it.
import { CopyButton } from '../../components/CopyButton';
import { CloseIcon } from '../../components/icons';
import { cellFull, isNested } from './cells';

export function CellDetail({ column, row, value, loaded, onClose }: { column: { name: string; type: string }; row: number; value: unknown; loaded: boolean; onClose(): void }) {
  const isNull = value === null || value === undefined;
  const text = cellFull(value);
  const kind = !loaded ? 'loading' : isNull ? 'null' : isNested(value) ? 'json' : typeof value === 'string' ? 'text' : 'value';
  return (
    <aside className="cell-detail" data-testid="cell-detail" aria-label={`Cell ${column.name}, row ${row + 1}`}>
      <header className="cell-detail-header">
        <div className="cell-detail-title">
          <span className="mono">{column.name}</span>
          <span className="faint small">row {(row + 1).toLocaleString()}</span>
        </div>
        {loaded && <CopyButton value={text} label="Copy value" />}
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close the cell (Esc)" title="Close (Esc)">
          <CloseIcon size={14} />
        </button>
      </header>
      <div className="cell-detail-type mono" title="DuckDB type">
        {column.type}
      </div>
      <div className="cell-detail-body">
        {kind === 'loading' ? (
          <span className="faint">Loading…</span>
        ) : kind === 'null' ? (
          <span className="rg-null-text">NULL</span>
        ) : (
          <pre className={`cell-detail-value ${kind}`} data-testid="cell-detail-value">
            {text}
          </pre>
        )}
      </div>
      {kind === 'text' && <div className="cell-detail-foot faint small">{(value as string).length.toLocaleString()} characters</div>}
    </aside>
  );
}
