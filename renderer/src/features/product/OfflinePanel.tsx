// Making snapshots available offline: a day, a range or the whole product into the offline cache
// (`snapshots.offline`, resumable, cancellable), pinning (never evicted), and the cache's size
// against its cap (`snapshots.cache`).
import { useEffect, useState, type FormEvent } from 'react';
import type { ProductSnapshots } from '../../../../shared/model/snapshot';
import { toApiError, type ApiError } from '../../../../shared/api/errors';
import { useCall, useClient } from '../../app/backend';
import { formatBytes, plural } from '../../components/format';
import { CloseIcon, DownloadIcon, PinIcon } from '../../components/icons';
import { Popover } from '../../components/Popover';
import { cancelOffline, describeSelection, dismissOffline, startOffline, useOfflineJob, type DaySelection, type OfflineJob } from './offline-jobs';

type Scope = 'day' | 'range' | 'all';
const GB = 1024 ** 3;

function JobStatus({ job, product }: { job: OfflineJob; product: string }) {
  if (job.status === 'running') {
    const p = job.progress;
    const share = p && p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p && p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
    return (
      <div className="offline-progress" data-testid="offline-progress" data-status="running" role="status">
        <div className="offline-progress-head">
          <strong>{p?.phase === 'listing' || !p ? 'Listing files…' : p.phase === 'done' ? 'Finishing…' : 'Downloading…'}</strong>
          <span className="muted">{describeSelection(job.select)}</span>
          <button type="button" className="button small-button" onClick={() => cancelOffline(product)} data-testid="offline-cancel">
            Cancel
          </button>
        </div>
        <span className="bar">
          <span className="bar-fill running" style={{ width: `${Math.round(share * 100)}%` }} />
        </span>
        {p && (
          <div className="offline-progress-meta">
            <span>
              {p.filesDone.toLocaleString()} / {plural(p.filesTotal, 'file')}
            </span>
            <span>
              {formatBytes(p.bytesDone)} / {formatBytes(p.bytesTotal)}
            </span>
            {p.day && <span className="mono">{p.day}</span>}
            {p.file && <span className="mono offline-file" title={p.file}>{p.file}</span>}
          </div>
        )}
      </div>
    );
  }
  const dismiss = (
    <button type="button" className="icon-button" onClick={() => dismissOffline(product)} aria-label="Dismiss" title="Dismiss">
      <CloseIcon size={12} />
    </button>
  );
  if (job.status === 'done') {
    const r = job.result;
    return (
      <div className="offline-progress done" data-testid="offline-progress" data-status="done" role="status">
        <div className="offline-progress-head">
          <strong>Available offline: {describeSelection(job.select)}</strong>
          {dismiss}
        </div>
        <div className="offline-progress-meta">
          <span>{plural(r.days.length, 'day')}</span>
          <span>{plural(r.files, 'file')}</span>
          <span>{r.downloaded.toLocaleString()} downloaded</span>
          <span>{r.alreadyCached.toLocaleString()} already cached</span>
          {r.resumed > 0 && <span>{r.resumed.toLocaleString()} resumed</span>}
          <span>{formatBytes(r.bytesFetched)} fetched</span>
          {r.violations > 0 && <span className="danger">{plural(r.violations, 'immutability violation')}</span>}
          {r.evicted.length > 0 && (
            <span className="warn-text" title={r.evicted.map((e) => `${e.product} ${e.day} (${formatBytes(e.bytes)})`).join('\n')}>
              {plural(r.evicted.length, 'day')} evicted to stay under the cap
            </span>
          )}
        </div>
      </div>
    );
  }
  return (
    <div className={`offline-progress ${job.status}`} data-testid="offline-progress" data-status={job.status} role="status">
      <div className="offline-progress-head">
        {job.status === 'error' ? <span className="danger">Could not make {describeSelection(job.select)} available offline: {job.error.message}</span> : <span className="muted">Cancelled: {describeSelection(job.select)}{job.progress ? ` after ${job.progress.filesDone} of ${plural(job.progress.filesTotal, 'file')}` : ''}. Files already downloaded are kept; running it again resumes.</span>}
        {dismiss}
      </div>
    </div>
  );
}

function CacheStatus({ onChanged }: { onChanged(): void }) {
  const client = useClient();
  const cache = useCall('snapshots.cache', {});
  const [error, setError] = useState<ApiError | null>(null);
  if (cache.error) return <span className="danger small">Offline cache unavailable: {cache.error.message}</span>;
  const c = cache.data;
  if (!c) return <span className="faint small">Offline cache…</span>;
  const share = c.maxBytes > 0 ? Math.min(1, c.bytes / c.maxBytes) : 0;
  const setCap = (e: FormEvent<HTMLFormElement>, close: () => void) => {
    e.preventDefault();
    const gb = Number(new FormData(e.currentTarget).get('cap'));
    if (!Number.isFinite(gb) || gb <= 0) return;
    client.call('snapshots.cache', { maxBytes: Math.round(gb * GB) }).then(
      () => {
        setError(null);
        cache.reload();
        onChanged();
        close();
      },
      (err: unknown) => setError(toApiError(err)),
    );
  };
  return (
    <div className="cache-status" data-testid="cache-status" title={`Cache folder: ${c.dir}`}>
      <span className="bar small-bar" aria-hidden="true">
        <span className="bar-fill" style={{ width: `${share * 100}%` }} />
      </span>
      <span>
        Offline cache <strong>{formatBytes(c.bytes)}</strong> of {formatBytes(c.maxBytes)}
        <span className="faint">
          {' '}
          · {plural(c.snapshots, 'day')} · {plural(c.files, 'file')} · {formatBytes(c.pinnedBytes)} pinned
        </span>
      </span>
      <Popover label="Cap…" title="Change the cache's cap (least recently used days are evicted; pinned days never)" align="end" className="cache-cap">
        {(close) => (
          <form className="cache-cap-form" onSubmit={(e) => setCap(e, close)}>
            <label>
              Cap (GB){' '}
              <input className="input num-input" name="cap" type="number" min="0.01" step="any" defaultValue={Number((c.maxBytes / GB).toPrecision(4))} autoFocus />
            </label>
            <button type="submit" className="button small-button primary">
              Set
            </button>
            {error && <span className="danger small">{error.message}</span>}
          </form>
        )}
      </Popover>
    </div>
  );
}

export function OfflinePanel({ snapshots, selectedDay, onChanged }: { snapshots: ProductSnapshots; selectedDay: string | null; onChanged(): void }) {
  const client = useClient();
  const product = snapshots.product;
  const job = useOfflineJob(product);
  const dates = snapshots.days.map((d) => d.date).sort();
  const [scope, setScope] = useState<Scope | null>(null);
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [pin, setPin] = useState(false);
  const [pinError, setPinError] = useState<ApiError | null>(null);
  const effectiveScope: Scope = scope ?? (selectedDay ? 'day' : 'all');
  const from = range?.from ?? dates[0] ?? '';
  const to = range?.to ?? dates.at(-1) ?? '';
  const running = job?.status === 'running';

  // The list and the cache answer differently once a download ends.
  const finished = job && job.status !== 'running' ? job : null;
  useEffect(() => {
    if (finished) onChanged();
  }, [finished, onChanged]);

  const selection: DaySelection | null = effectiveScope === 'day' ? (selectedDay ? { day: selectedDay } : null) : effectiveScope === 'range' ? (from && to && from <= to ? { from, to } : null) : { all: true };
  const allPinned = snapshots.days.length > 0 && snapshots.days.every((d) => d.pinned);
  const pinAll = (pinned: boolean) => {
    client.call('snapshots.pin', { id: product, pinned }).then(
      () => {
        setPinError(null);
        onChanged();
      },
      (e: unknown) => setPinError(toApiError(e)),
    );
  };

  return (
    <div className="offline-panel">
      <div className="offline-controls">
        <span className="segmented" role="group" aria-label="What to make available offline">
          <button type="button" className="toggle" aria-pressed={effectiveScope === 'day'} disabled={!selectedDay} onClick={() => setScope('day')} title={selectedDay ? `The selected day, ${selectedDay}` : 'Select a day first'}>
            {selectedDay ? `Day ${selectedDay}` : 'Selected day'}
          </button>
          <button type="button" className="toggle" aria-pressed={effectiveScope === 'range'} onClick={() => setScope('range')}>
            Range
          </button>
          <button type="button" className="toggle" aria-pressed={effectiveScope === 'all'} onClick={() => setScope('all')}>
            All {plural(snapshots.days.length, 'day')}
          </button>
        </span>
        {effectiveScope === 'range' && (
          <span className="field-group">
            <input className="input mono" type="date" aria-label="From" value={from} min={dates[0]} max={dates.at(-1)} onChange={(e) => setRange({ from: e.target.value, to })} data-testid="offline-from" />
            <span className="faint">→</span>
            <input className="input mono" type="date" aria-label="To" value={to} min={dates[0]} max={dates.at(-1)} onChange={(e) => setRange({ from, to: e.target.value })} data-testid="offline-to" />
          </span>
        )}
        <label className="field-inline small" title="Pinned days are never evicted from the cache">
          <input type="checkbox" checked={pin} onChange={(e) => setPin(e.target.checked)} /> Pin
        </label>
        <button type="button" className="button primary" disabled={!selection || running || snapshots.days.length === 0} onClick={() => selection && startOffline(client, product, selection, pin)} data-testid="offline-button" title="Download into the offline cache (resumable; verified against the store's sizes and ETags)">
          <DownloadIcon size={14} /> Make available offline
        </button>
        <button type="button" className="button small-button" onClick={() => pinAll(!allPinned)} title={allPinned ? 'Let the cache evict this product’s days again' : 'Never evict this product’s cached days'} data-testid="pin-product">
          <PinIcon size={13} /> {allPinned ? 'Unpin product' : 'Pin product'}
        </button>
        <CacheStatus onChanged={onChanged} />
      </div>
      {pinError && <p className="danger small">{pinError.message}</p>}
      {job && <JobStatus job={job} product={product} />}
    </div>
  );
}
