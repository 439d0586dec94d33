// One snapshot day (`snapshots.day`): its files (size, rows, row groups, the writer, and why a file
// could not be read), the Parquet schema checked against the contract (missing, extra and
// mistyped columns), and per-column statistics from the footers.
import type { SnapshotDayDetail as DayDetail } from '../../../../shared/model/snapshot';
import { useCall } from '../../app/backend';
import { formatBytes, plural } from '../../components/format';
import { CheckIcon, CloseIcon, ErrorIcon, WarningIcon } from '../../components/icons';
import { Loaded, SkeletonLines } from '../../components/states';
import './snapshots.css';

const sum = (xs: Array<number | null>) => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => a + (x ?? 0), 0));

function stat(v: string | number | boolean | null): string {
  if (v === null) return '—';
  return String(v);
}

function SchemaCheck({ schema }: { schema: DayDetail['schema'] }) {
  if (!schema) {
    return (
      <div className="schema-check unchecked" data-testid="schema-check" data-ok="unknown">
        <span className="faint">Not checked: the contract declares no schema for this port, or no file could be read.</span>
      </div>
    );
  }
  const issues = [
    ...schema.missing.map((i) => ({ kind: 'missing' as const, ...i })),
    ...schema.extra.map((i) => ({ kind: 'extra' as const, ...i })),
    ...schema.mistyped.map((i) => ({ kind: 'mistyped' as const, ...i })),
  ];
  return (
    <div className={`schema-check ${schema.ok ? 'ok' : 'bad'}`} data-testid="schema-check" data-ok={schema.ok}>
      <div className="schema-check-verdict">
        {schema.ok ? <CheckIcon size={15} /> : <ErrorIcon size={15} />}
        <strong>{schema.ok ? 'The Parquet schema matches the contract' : 'The Parquet schema does not match the contract'}</strong>
        {schema.object && <span className="muted">(object <code>{schema.object}</code>)</span>}
        {issues.length > 0 && (
          <span className="schema-counts">
            {schema.missing.length > 0 && <span className="badge badge-danger">{schema.missing.length} missing</span>}
            {schema.mistyped.length > 0 && <span className="badge badge-danger">{schema.mistyped.length} mistyped</span>}
            {schema.extra.length > 0 && <span className="badge badge-warn">{schema.extra.length} extra</span>}
          </span>
        )}
      </div>
      {issues.length > 0 && (
        <div className="table-scroll">
          <table className="table compact schema-issues">
            <thead>
              <tr>
                <th>Issue</th>
                <th>Column</th>
                <th>Contract</th>
                <th>Parquet</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((i) => (
                <tr key={`${i.kind}\0${i.path}`} className={`issue-${i.kind}`} data-testid={`schema-issue-${i.kind}-${i.path}`}>
                  <td>
                    <span className={`badge ${i.kind === 'extra' ? 'badge-warn' : 'badge-danger'}`}>{i.kind}</span>
                  </td>
                  <td className="mono">{i.path}</td>
                  <td className="mono">{i.expected ?? '—'}</td>
                  <td className="mono">{i.actual ?? '—'}</td>
                  <td className="muted">{i.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/**
 * The files of a snapshot day, or of local files opened as a table (`title` is then their path and
 * there is no contract, so no schema check and no offline column).
 */
export function FileSetBody({ detail, title, contract }: { detail: Omit<DayDetail, 'date'>; title: string; contract: boolean }) {
  const rows = sum(detail.files.map((f) => f.rows));
  const bytes = detail.files.reduce((a, f) => a + f.size, 0);
  return (
    <>
      <div className="snapshot-detail-summary">
        <strong className="mono break">{title}</strong>
        <span>{plural(detail.files.length, 'file')}</span>
        <span>{rows === null ? 'rows unknown' : plural(rows, 'row')}</span>
        <span>{formatBytes(bytes)}</span>
      </div>
      {detail.problems.length > 0 && (
        <ul className="snapshot-problems" data-testid="snapshot-problems">
          {detail.problems.map((p) => (
            <li key={p}>
              <WarningIcon size={13} /> {p}
            </li>
          ))}
        </ul>
      )}
      <h3 className="subheading">Files</h3>
      <div className="table-scroll">
        <table className="table compact snapshot-files" data-testid="snapshot-files">
          <thead>
            <tr>
              <th>File</th>
              <th className="num">Size</th>
              <th className="num">Rows</th>
              <th className="num">Row groups</th>
              <th>Written by</th>
              <th>Modified</th>
              {contract && <th>Offline</th>}
            </tr>
          </thead>
          <tbody>
            {detail.files.map((f) => (
              <tr key={f.key} className={f.error ? 'file-error' : ''}>
                <td className="mono" title={f.key}>
                  {f.name}
                  {f.error && (
                    <div className="file-error-text">
                      <ErrorIcon size={12} /> {f.error}
                    </div>
                  )}
                </td>
                <td className="num" title={`${f.size.toLocaleString()} bytes${f.etag ? `\nETag ${f.etag}` : ''}\n${formatBytes(f.bytesFetched)} fetched to read the footer`}>
                  {formatBytes(f.size)}
                </td>
                <td className="num">{f.rows?.toLocaleString() ?? '—'}</td>
                <td className="num">{f.rowGroups ?? '—'}</td>
                <td className="small muted created-by" title={f.createdBy ?? undefined}>
                  {f.createdBy ?? '—'}
                </td>
                <td className="small nowrap">{new Date(f.lastModified).toLocaleString()}</td>
                {contract && <td>{f.cached ? <span className="badge badge-ok">cached</span> : <span className="faint">—</span>}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {contract && (
        <>
          <h3 className="subheading">Schema against the contract</h3>
          <SchemaCheck schema={detail.schema} />
        </>
      )}
      <h3 className="subheading">
        Column statistics <span className="faint small">(from the Parquet footers, all files{contract ? ' of the day' : ''})</span>
      </h3>
      <div className="table-scroll column-stats-scroll">
        <table className="table compact column-stats" data-testid="column-stats">
          <thead>
            <tr>
              <th>Column</th>
              <th>Type</th>
              <th>Min</th>
              <th>Max</th>
              <th className="num">Nulls</th>
              <th className="num">Values</th>
              <th className="num">Compressed</th>
              <th className="num">Uncompressed</th>
            </tr>
          </thead>
          <tbody>
            {detail.columns.map((c) => (
              <tr key={c.path} data-testid={`column-stat-${c.path}`}>
                <td className="mono">
                  {c.path}
                  {!c.exact && (
                    <span className="faint" title="Some files have no exact statistics for this column (truncated or missing min/max)">
                      {' '}
                      ≈
                    </span>
                  )}
                </td>
                <td className="mono small muted">{c.type}</td>
                <td className="mono stat-value" title={stat(c.min)}>
                  {stat(c.min)}
                </td>
                <td className="mono stat-value" title={stat(c.max)}>
                  {stat(c.max)}
                </td>
                <td className={`num ${c.nullCount ? 'warn-text' : ''}`}>{c.nullCount?.toLocaleString() ?? '—'}</td>
                <td className="num">{c.values.toLocaleString()}</td>
                <td className="num">{formatBytes(c.compressedBytes)}</td>
                <td className="num" title={c.compressedBytes > 0 ? `ratio ${(c.uncompressedBytes / c.compressedBytes).toFixed(1)}×` : undefined}>
                  {formatBytes(c.uncompressedBytes)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function SnapshotDayDetail({ id, date, onClose }: { id: string; date: string; onClose(): void }) {
  const call = useCall('snapshots.day', { id, date });
  return (
    <section className="snapshot-detail" data-testid="snapshot-detail" aria-label={`Snapshot ${date}`}>
      <header className="snapshot-detail-header">
        <h3>Day {date}</h3>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close the day" title="Close">
          <CloseIcon size={14} />
        </button>
      </header>
      <Loaded call={call} what={`the snapshot of ${date}`} skeleton={<SkeletonLines lines={5} />}>
        {(detail) => <FileSetBody detail={detail} title={detail.date} contract />}
      </Loaded>
    </section>
  );
}
