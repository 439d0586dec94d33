// How far a search got: scanned and matched, and each partition's position between where the
// search started and the end of the stream as it was then, with Cancel.
import type { PartitionPosition } from '../../../../shared/model/stream';
import type { SessionView } from './tail-session';

function fraction(start: number, next: number, end: number): number {
  if (end <= start) return 1;
  return Math.min(1, Math.max(0, (next - start) / (end - start)));
}

export function searchFraction(view: SessionView): number {
  if (view.phase === 'ended') return 1;
  const start = new Map(view.startPositions.map((p) => [p.partition, p]));
  let done = 0;
  let total = 0;
  for (const p of view.positions) {
    const s = start.get(p.partition);
    if (!s) continue;
    // A search reads to the end as it was at its start: `high` then.
    done += Math.max(0, Math.min(p.next, s.high) - s.next);
    total += Math.max(0, s.high - s.next);
  }
  const byOffsets = total > 0 ? done / total : 0;
  const max = view.config?.maxScanned;
  return Math.min(1, Math.max(byOffsets, max ? view.stats.scanned / max : 0));
}

function PartitionBar({ start, now }: { start: PartitionPosition; now: PartitionPosition | undefined }) {
  const next = now?.next ?? start.next;
  const f = fraction(start.next, Math.min(next, start.high), start.high);
  return (
    <div className="search-partition" title={`Partition ${start.partition}: at ${next.toLocaleString()} of ${start.next.toLocaleString()}…${start.high.toLocaleString()}`}>
      <span className="search-partition-label">p{start.partition}</span>
      <span className="bar small-bar">
        <span className="bar-fill" style={{ width: `${f * 100}%` }} />
      </span>
      <span className="faint num">
        {Math.min(next, start.high).toLocaleString()} / {start.high.toLocaleString()}
      </span>
    </div>
  );
}

export function SearchProgress({ view, onCancel }: { view: SessionView; onCancel(): void }) {
  const f = searchFraction(view);
  const running = view.phase === 'running' || view.phase === 'starting';
  const now = new Map(view.positions.map((p) => [p.partition, p]));
  return (
    <div className="search-progress" data-testid="search-progress" data-fraction={f.toFixed(3)}>
      <div className="search-progress-main">
        <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(f * 100)} aria-label="Search progress">
          <span className={`bar-fill ${running ? 'running' : ''}`} style={{ width: `${f * 100}%` }} />
        </div>
        <span className="search-progress-text">
          {running ? 'Searching' : view.phase === 'ended' ? 'Done' : view.phase === 'paused' ? 'Paused' : view.phase === 'failed' ? 'Failed' : ''} · {Math.round(f * 100)} % · scanned <strong>{view.stats.scanned.toLocaleString()}</strong> · matched <strong>{view.stats.matched.toLocaleString()}</strong>
          {view.phase === 'ended' && view.endMessage ? <span className="faint"> · {view.endMessage}</span> : null}
        </span>
        {running && (
          <button type="button" className="button small-button" onClick={onCancel} data-testid="search-cancel">
            Cancel
          </button>
        )}
      </div>
      {view.startPositions.length > 1 && view.startPositions.length <= 24 && (
        <div className="search-partitions">
          {view.startPositions.map((s) => (
            <PartitionBar key={s.partition} start={s} now={now.get(s.partition)} />
          ))}
        </div>
      )}
    </div>
  );
}
