// The line under the list: where the messages come from, whether the tail is live, how fast they
// arrive, how many were read and matched, the pass rate against the tier's promise, and the
// position and lag of every partition.
import type { PartitionPosition, StreamInfo } from '../../../../shared/model/stream';
import { Popover } from '../../components/Popover';
import { formatPassRate, formatPromise, formatRate } from './message-format';
import { passRate, type SessionView } from './tail-session';

export function stateOf(view: SessionView): { key: string; label: string; detail?: string } {
  switch (view.phase) {
    case 'idle':
      return { key: 'idle', label: 'ready' };
    case 'starting':
      return { key: 'connecting', label: 'connecting…' };
    case 'paused':
      return { key: 'paused', label: 'paused', detail: 'Stopped reading; Resume goes on from the next offset of every partition' };
    case 'failed':
      return { key: 'failed', label: `failed${view.error ? `: ${view.error.code}` : ''}`, detail: view.error?.message };
    case 'ended':
      return { key: 'ended', label: 'ended', ...(view.endMessage || view.stateMessage ? { detail: (view.endMessage ?? view.stateMessage)! } : {}) };
    case 'running':
      switch (view.state) {
        case 'live':
          return { key: 'live', label: 'live' };
        case 'caught-up':
          return { key: 'caught-up', label: 'caught up', detail: 'Read everything there is; waiting for new messages' };
        case 'reconnecting':
          return { key: 'reconnecting', label: 'reconnecting', detail: view.stateMessage ?? undefined };
        case 'ended':
          return { key: 'ended', label: 'ended', detail: view.stateMessage ?? undefined };
        default:
          return { key: 'reading', label: view.config?.search ? 'searching' : view.started?.live === false ? 'replaying' : 'reading' };
      }
  }
}

/** The pass rate line: "99.9667 % pass · promise ≥ 99.99 % ✗". */
export function PassRate({ view, info }: { view: SessionView; info: StreamInfo | undefined }) {
  const validating = view.started?.validating ?? info?.validating ?? false;
  const promise = view.started ? view.started.promise : (info?.promise ?? null);
  const rate = passRate(view.stats);
  if (!validating) {
    return (
      <span className="pass-rate faint" data-testid="tail-pass-rate" title="No contract applies to this stream, so messages are not checked">
        not checked
      </span>
    );
  }
  if (rate === null) {
    return (
      <span className="pass-rate faint" data-testid="tail-pass-rate">
        pass rate —{promise !== null ? ` · promise ≥ ${formatPromise(promise)}` : ''}
      </span>
    );
  }
  const failed = view.stats.checked - view.stats.passed;
  const kept = promise === null ? null : rate >= promise;
  const title = `${view.stats.passed.toLocaleString()} of ${view.stats.checked.toLocaleString()} checked messages pass the contract (${failed.toLocaleString()} fail)${promise === null ? '; the tier promises nothing' : `; the tier promises at least ${formatPromise(promise)}`}`;
  return (
    <span className={`pass-rate ${kept === null ? '' : kept ? 'kept' : 'broken'}`} data-testid="tail-pass-rate" data-kept={kept === null ? undefined : String(kept)} title={title}>
      {formatPassRate(rate, promise)} pass
      {promise !== null ? (
        <>
          {' '}
          · promise ≥ {formatPromise(promise)} <span className="verdict">{kept ? '✓' : '✗'}</span>
        </>
      ) : (
        ' · no promise'
      )}
    </span>
  );
}

export function PositionsTable({ positions, start }: { positions: PartitionPosition[]; start?: PartitionPosition[] }) {
  const from = new Map(start?.map((p) => [p.partition, p.next]));
  return (
    <table className="table compact positions-table" data-testid="positions-table">
      <thead>
        <tr>
          <th className="num">Partition</th>
          <th className="num">Low</th>
          {start && <th className="num">Started</th>}
          <th className="num">Next</th>
          <th className="num">High</th>
          <th className="num" title="high − next: messages not read yet">
            Lag
          </th>
        </tr>
      </thead>
      <tbody>
        {positions.map((p) => (
          <tr key={p.partition}>
            <td className="num">{p.partition}</td>
            <td className="num">{p.low.toLocaleString()}</td>
            {start && <td className="num">{from.get(p.partition)?.toLocaleString() ?? '—'}</td>}
            <td className="num">{p.next.toLocaleString()}</td>
            <td className="num">{p.high.toLocaleString()}</td>
            <td className={`num ${p.high - p.next > 0 ? 'lagging' : ''}`}>{Math.max(0, p.high - p.next).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatusBar({ view, info, selected }: { view: SessionView; info: StreamInfo | undefined; selected: number }) {
  const state = stateOf(view);
  const source = view.started?.source ?? info?.source;
  const lag = view.positions.reduce((a, p) => a + Math.max(0, p.high - p.next), 0);
  const running = view.phase === 'running';
  return (
    <footer className="stream-status" aria-label="Tail status">
      <span className={`state-pill state-${state.key}`} data-testid="tail-status" data-state={state.key} title={state.detail}>
        <span className="state-dot" aria-hidden="true" />
        {state.label}
        {state.key === 'reconnecting' && state.detail && <span className="state-detail">{state.detail}</span>}
      </span>
      {source && (
        <span className="status-source mono" title={source}>
          {source}
        </span>
      )}
      <span className="status-item" data-testid="tail-rate" title="Messages read per second, over the last second">
        <strong>{running ? formatRate(view.stats.rate) : '0'}</strong> msg/s
      </span>
      <span className="status-item" data-testid="tail-counts" title="Read from the stream / matching the filter">
        scanned <strong>{view.stats.scanned.toLocaleString()}</strong> · matched <strong>{view.stats.matched.toLocaleString()}</strong>
      </span>
      <PassRate view={view} info={info} />
      <span className="status-spacer" />
      <span className="status-item faint" data-testid="tail-ring" title={`The view keeps the newest ${view.capacity.toLocaleString()} messages${view.dropped ? `; ${view.dropped.toLocaleString()} older ones were dropped from view` : ''}`}>
        {view.size.toLocaleString()} in view{selected ? ` · ${selected.toLocaleString()} selected` : ''}
        {view.dropped > 0 ? ` · ${view.dropped.toLocaleString()} dropped` : ''}
      </span>
      {view.positions.length > 0 && (
        <Popover label={<>Partitions · lag {lag.toLocaleString()}</>} title="Position and lag of every partition" align="end" testId="positions-button">
          <PositionsTable positions={view.positions} />
        </Popover>
      )}
    </footer>
  );
}
