// The snapshot browser of a product's batch mode (`snapshots.list`): where the days were read from
// (the store, or the offline cache when the store is unreachable), immutability violations first
// (a published file that changed is a broken promise), the days as month calendars and as a table
// (files, rows, size, row groups, created, schema check, offline state), the download/pin
// controls, and the day the user opens (files, schema against the contract, column statistics).
import { useCallback, useState } from 'react';
import type { ProductSnapshots, SnapshotDaySummary as SnapshotDay, Violation } from '../../../../shared/model/snapshot';
import { toApiError, type ApiError } from '../../../../shared/api/errors';
import { useCall, useClient } from '../../app/backend';
import { formatBytes, plural } from '../../components/format';
import { DisconnectedIcon, ErrorIcon, PinIcon } from '../../components/icons';
import { Section } from '../../components/Section';
import { Banner, EmptyState, Loaded, Skeleton } from '../../components/states';
import { OfflinePanel } from './OfflinePanel';
import { snapshotMonths } from './snapshot-calendar';
import { SnapshotDayDetail } from './SnapshotDayDetail';
import './snapshots.css';

const MAX_MONTHS = 6;
const WEEKDAYS = ['M', 'T', 'W', 'T', 'F', 'S', 'S'];

const describe = (d: SnapshotDay) => `${d.date} · ${plural(d.files, 'file')} · ${d.rows === null ? '' : `${plural(d.rows, 'row')} · `}${formatBytes(d.bytes)}${d.schemaOk === false ? ' · schema does not match the contract' : ''}`;

function shortTime(iso: string | null): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function Violations({ violations }: { violations: Violation[] }) {
  if (violations.length === 0) return null;
  return (
    <div className="violations" data-testid="violations" role="alert">
      <div className="violations-title">
        <ErrorIcon size={16} />
        <strong>{plural(violations.length, 'immutability violation')}</strong>
        <span>: a published snapshot file changed after it was first seen. Snapshots are promised to be immutable; the cached copy is kept as it was.</span>
      </div>
      <div className="table-scroll">
        <table className="table compact violations-table">
          <thead>
            <tr>
              <th>Product</th>
              <th>Day</th>
              <th>File</th>
              <th>Cached ETag</th>
              <th className="num">Cached size</th>
              <th>Store ETag now</th>
              <th className="num">Size now</th>
              <th>Detected</th>
            </tr>
          </thead>
          <tbody>
            {violations.map((v) => (
              <tr key={v.id} data-testid={`violation-${v.day}`}>
                <td className="mono">{v.product}</td>
                <td className="mono">{v.day}</td>
                <td className="mono break">{v.file}</td>
                <td className="mono small">{v.cached.etag ?? '—'}</td>
                <td className="num" title={`${v.cached.size.toLocaleString()} bytes, fetched ${shortTime(v.cached.fetchedAt)}`}>
                  {formatBytes(v.cached.size)}
                </td>
                <td className={`mono small ${v.cached.etag !== v.remote.etag ? 'changed' : ''}`}>{v.remote.etag ?? '—'}</td>
                <td className={`num ${v.cached.size !== v.remote.size ? 'changed' : ''}`} title={`${v.remote.size.toLocaleString()} bytes, modified ${shortTime(v.remote.lastModified)}`}>
                  {formatBytes(v.remote.size)}
                </td>
                <td className="small nowrap">{shortTime(v.detectedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Calendar({ days, selected, onSelect }: { days: readonly SnapshotDay[]; selected: string | null; onSelect(date: string): void }) {
  const { months, hiddenMonths, gaps } = snapshotMonths(days, MAX_MONTHS);
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const files = days.reduce((n, d) => n + d.files, 0);
  const bytes = days.reduce((n, d) => n + d.bytes, 0);
  const rows = days.every((d) => d.rows !== null) ? days.reduce((n, d) => n + (d.rows ?? 0), 0) : null;
  return (
    <>
      <div className="snapshot-summary">
        <strong>{plural(days.length, 'day')}</strong>
        <span className="muted">
          {sorted[0]?.date} → {sorted.at(-1)?.date}
        </span>
        <span className="muted">
          {plural(files, 'file')} · {rows !== null ? `${plural(rows, 'row')} · ` : ''}
          {formatBytes(bytes)}
        </span>
        {gaps > 0 && <span className="gap-note">{plural(gaps, 'day')} missing</span>}
      </div>
      <div className="calendars">
        {months.map((m) => (
          <div key={m.key} className="calendar" aria-label={m.label}>
            <div className="calendar-title">{m.label}</div>
            <div className="calendar-grid">
              {WEEKDAYS.map((w, i) => (
                <span key={i} className="calendar-weekday" aria-hidden="true">
                  {w}
                </span>
              ))}
              {Array.from({ length: m.offset }, (_, i) => (
                <span key={`blank-${i}`} />
              ))}
              {m.cells.map((c) =>
                c.snapshot ? (
                  <button
                    key={c.date}
                    type="button"
                    className={`calendar-day has ${c.snapshot.schemaOk === false || c.snapshot.problems > 0 ? 'bad' : ''} ${c.snapshot.cached === 'full' ? 'cached' : ''} ${selected === c.date ? 'selected' : ''}`}
                    title={describe(c.snapshot)}
                    onClick={() => onSelect(c.date)}
                    aria-pressed={selected === c.date}
                  >
                    {c.day}
                  </button>
                ) : (
                  <span key={c.date} className={`calendar-day ${c.gap ? 'gap' : ''}`} title={c.gap ? `${c.date} · no snapshot` : c.date}>
                    {c.day}
                  </span>
                ),
              )}
            </div>
          </div>
        ))}
      </div>
      {hiddenMonths > 0 && <p className="hint">and {plural(hiddenMonths, 'earlier month')} in the table below.</p>}
    </>
  );
}

function CachedCell({ day }: { day: SnapshotDay }) {
  if (day.cached === 'none') return <span className="faint">—</span>;
  return <span className={`badge ${day.cached === 'full' ? 'badge-ok' : 'badge-warn'}`}>{day.cached === 'full' ? 'offline' : 'partial'}</span>;
}

function DaysTable({ id, days, selected, onSelect, onChanged }: { id: string; days: readonly SnapshotDay[]; selected: string | null; onSelect(date: string): void; onChanged(): void }) {
  const client = useClient();
  const [error, setError] = useState<ApiError | null>(null);
  const sorted = [...days].sort((a, b) => b.date.localeCompare(a.date));
  const pin = (day: SnapshotDay) => {
    client.call('snapshots.pin', { id, day: day.date, pinned: !day.pinned }).then(
      () => {
        setError(null);
        onChanged();
      },
      (e: unknown) => setError(toApiError(e)),
    );
  };
  return (
    <>
      {error && <p className="danger small">{error.message}</p>}
      <div className="snapshot-days-table">
        <table className="table compact">
          <thead>
            <tr>
              <th>Date</th>
              <th className="num">Files</th>
              <th className="num">Rows</th>
              <th className="num">Size</th>
              <th className="num">Row groups</th>
              <th>Created</th>
              <th title="The Parquet schema against the contract">Schema</th>
              <th className="num">Problems</th>
              <th>Offline</th>
              <th aria-label="Pin" />
            </tr>
          </thead>
          <tbody>
            {sorted.map((d) => (
              <tr
                key={d.date}
                className={`clickable ${selected === d.date ? 'selected' : ''} ${d.schemaOk === false || d.problems > 0 ? 'has-problem' : ''}`}
                onClick={() => onSelect(d.date)}
                onKeyDown={(e) => e.key === 'Enter' && onSelect(d.date)}
                tabIndex={0}
                aria-selected={selected === d.date}
                data-testid={`snapshot-day-${d.date}`}
              >
                <td className="mono">{d.date}</td>
                <td className="num">{d.files}</td>
                <td className="num">{d.rows?.toLocaleString() ?? '—'}</td>
                <td className="num">{formatBytes(d.bytes)}</td>
                <td className="num">{d.rowGroups ?? '—'}</td>
                <td className="small nowrap">{shortTime(d.createdAt)}</td>
                <td>
                  {d.schemaOk === null ? (
                    <span className="faint" title="Not checked">
                      —
                    </span>
                  ) : d.schemaOk ? (
                    <span className="schema-ok" title="Matches the contract">
                      ✓
                    </span>
                  ) : (
                    <span className="schema-bad" title="Does not match the contract: open the day">
                      ✗
                    </span>
                  )}
                </td>
                <td className={`num ${d.problems ? 'danger' : 'faint'}`}>{d.problems || '—'}</td>
                <td>
                  <CachedCell day={d} />
                </td>
                <td className="num">
                  <button
                    type="button"
                    className={`icon-button pin-button ${d.pinned ? 'pinned' : ''}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      pin(d);
                    }}
                    disabled={d.cached === 'none' && !d.pinned}
                    aria-pressed={d.pinned}
                    title={d.pinned ? 'Pinned: never evicted from the offline cache. Click to unpin.' : d.cached === 'none' ? 'Make the day available offline first (or tick Pin when you do)' : 'Pin: never evict this day from the offline cache'}
                    data-testid={`pin-${d.date}`}
                  >
                    <PinIcon size={13} />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function SnapshotBrowser({ snapshots, onChanged }: { snapshots: ProductSnapshots; onChanged(): void }) {
  const [selected, setSelected] = useState<string | null>(null);
  const { days } = snapshots;
  const selectedDay = selected && days.some((d) => d.date === selected) ? selected : null;
  return (
    <div className="snapshot-browser">
      <div className="snapshot-store">
        <span className="muted">Read from</span>
        <code title={snapshots.location}>{snapshots.store}</code>
        <span className={`badge source-${snapshots.source}`}>{snapshots.source === 'cache' ? 'offline cache' : snapshots.source === 's3' ? 'S3' : snapshots.source}</span>
        {snapshots.location && (
          <span className="faint small">
            location <code>{snapshots.location}</code>
          </span>
        )}
      </div>
      {snapshots.offline && (
        <Banner tone="warning" icon={<DisconnectedIcon />} testId="offline-banner">
          <strong>Offline (from cache):</strong> {snapshots.offlineReason ?? 'the store could not be reached'}. Only the days in the offline cache are listed.
        </Banner>
      )}
      <Violations violations={snapshots.violations} />
      {days.length === 0 ? (
        <EmptyState title="No snapshots found">
          No daily snapshot under <code>{snapshots.location || snapshots.store}</code>
          {snapshots.offline ? ' in the offline cache' : ''}.
        </EmptyState>
      ) : (
        <>
          <Calendar days={days} selected={selectedDay} onSelect={setSelected} />
          <OfflinePanel snapshots={snapshots} selectedDay={selectedDay} onChanged={onChanged} />
          <DaysTable id={snapshots.product} days={days} selected={selectedDay} onSelect={setSelected} onChanged={onChanged} />
          {selectedDay && <SnapshotDayDetail key={selectedDay} id={snapshots.product} date={selectedDay} onClose={() => setSelected(null)} />}
        </>
      )}
    </div>
  );
}

export function SnapshotsPanel({ id }: { id: string }) {
  const call = useCall('snapshots.list', { id });
  const cache = useCall('snapshots.cache', {});
  const reloadList = call.reload;
  const reloadCache = cache.reload;
  const onChanged = useCallback(() => {
    reloadList();
    reloadCache();
  }, [reloadList, reloadCache]);
  const violations = call.data?.violations.length ?? 0;
  return (
    <Section
      title="Snapshots"
      count={call.data?.days.length}
      testId="snapshot-list"
      className="snapshots-panel"
      aside={
        violations > 0 ? (
          <span className="badge badge-danger">
            <ErrorIcon size={12} /> {plural(violations, 'violation')}
          </span>
        ) : call.data?.offline ? (
          <span className="badge badge-warn">offline</span>
        ) : undefined
      }
    >
      <Loaded call={call} what="the snapshots" skeleton={<Skeleton height={110} />}>
        {(snapshots) =>
          snapshots.source === 'none' ? (
            <EmptyState title="No snapshots to browse">No batch port this machine can read: the contract declares no file or object-store server for the product, or the workspace maps none.</EmptyState>
          ) : (
            <SnapshotBrowser snapshots={snapshots} onChanged={onChanged} />
          )
        }
      </Loaded>
    </Section>
  );
}
