// The daily snapshots this machine has for the product (`snapshots.list`), as month calendars
// plus the full list of days with their files and sizes.
import type { SnapshotDaySummary as SnapshotDay } from '../../../../shared/model/snapshot';
import { useCall } from '../../app/backend';
import { formatBytes, plural } from '../../components/format';
import { Section } from '../../components/Section';
import { EmptyState, Loaded, Skeleton } from '../../components/states';
import { snapshotMonths } from './snapshot-calendar';

const MAX_MONTHS = 6;
const WEEKDAYS = ['M', 'T', 'W', 'T', 'F', 'S', 'S'];

const describe = (d: SnapshotDay) => `${d.date} · ${plural(d.files, 'file')} · ${formatBytes(d.bytes)}`;

function Calendar({ days }: { days: readonly SnapshotDay[] }) {
  const { months, hiddenMonths, gaps } = snapshotMonths(days, MAX_MONTHS);
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const files = days.reduce((n, d) => n + d.files, 0);
  const bytes = days.reduce((n, d) => n + d.bytes, 0);
  return (
    <>
      <div className="snapshot-summary">
        <strong>{plural(days.length, 'day')}</strong>
        <span className="muted">
          {sorted[0]?.date} → {sorted.at(-1)?.date}
        </span>
        <span className="muted">
          {plural(files, 'file')} · {formatBytes(bytes)}
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
              {m.cells.map((c) => (
                <span key={c.date} className={`calendar-day ${c.snapshot ? 'has' : ''} ${c.gap ? 'gap' : ''}`} title={c.snapshot ? describe(c.snapshot) : c.gap ? `${c.date} · no snapshot` : c.date}>
                  {c.day}
                </span>
              ))}
            </div>
          </div>
        ))}
      </div>
      {hiddenMonths > 0 && <p className="hint">and {plural(hiddenMonths, 'earlier month')} in the list below.</p>}
      <details className="snapshot-days">
        <summary>All days</summary>
        <div className="snapshot-days-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th>Date</th>
                <th className="num">Files</th>
                <th className="num">Size</th>
              </tr>
            </thead>
            <tbody>
              {[...sorted].reverse().map((d) => (
                <tr key={d.date}>
                  <td className="mono">{d.date}</td>
                  <td className="num">{d.files}</td>
                  <td className="num">{formatBytes(d.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

export function SnapshotsPanel({ id }: { id: string }) {
  const call = useCall('snapshots.list', { id });
  return (
    <Section title="Snapshots" count={call.data?.days.length} testId="snapshot-list">
      <Loaded call={call} what="the snapshots" skeleton={<Skeleton height={110} />}>
        {({ days }) =>
          days.length === 0 ? (
            <EmptyState title="No snapshots on this machine">The batch port’s daily snapshots appear here once they are in the folder this workspace maps it to.</EmptyState>
          ) : (
            <Calendar days={days} />
          )
        }
      </Loaded>
    </Section>
  );
}
