// `dpx snapshots`: a product's snapshot days from its store (footers read with range requests),
// and `dpx snapshots offline` to keep days in the offline cache.
import type { Services } from '../services/services';
import type { ProductSnapshots } from '../../shared/model/snapshot';
import { table } from './cli-format';

const mb = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function printSnapshots(s: ProductSnapshots, asJson: boolean): void {
  if (s.offline) process.stderr.write(`Offline: listed from the cache (${s.offlineReason})\n`);
  for (const v of s.violations) process.stderr.write(`Immutability violation: ${v.product} ${v.day} ${v.file} changed (etag ${v.cached.etag} → ${v.remote.etag}, ${v.cached.size} → ${v.remote.size} bytes); both versions are kept\n`);
  if (asJson) {
    process.stdout.write(JSON.stringify(s.days, null, 2) + '\n');
    return;
  }
  if (!s.days.length) {
    process.stdout.write(`No snapshots at ${s.location || 'this product (no batch port)'}\n`);
    return;
  }
  process.stdout.write(`${s.product}: ${s.days.length} days at ${s.location} (${s.store})\n`);
  process.stdout.write(
    table([
      ['DATE', 'FILES', 'ROWS', 'SIZE', 'ROW GROUPS', 'SCHEMA', 'CACHED'],
      ...s.days.map((d) => [d.date, String(d.files), d.rows === null ? '?' : String(d.rows), mb(d.bytes), d.rowGroups === null ? '?' : String(d.rowGroups), d.schemaOk === null ? '?' : d.schemaOk ? 'ok' : `${d.problems} problem(s)`, d.cached + (d.pinned ? ' (pinned)' : '')]),
    ]) + '\n',
  );
}

export async function runOfflineCli(services: Services, id: string, o: { day?: string; from?: string; to?: string; all?: boolean; pin?: boolean }): Promise<void> {
  const select = o.all ? ({ all: true } as const) : o.day ? { day: o.day } : o.from && o.to ? { from: o.from, to: o.to } : null;
  if (!select) throw new Error('Say which days: --day YYYY-MM-DD, --from … --to …, or --all');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const tty = process.stderr.isTTY;
  await services.snapshots.makeAvailableOffline(id, select, o.pin ?? false, (e) => {
    if (e.kind === 'progress') {
      const line = `${e.phase} ${e.filesDone}/${e.filesTotal} files, ${mb(e.bytesDone)} of ${mb(e.bytesTotal)}${e.file ? ` — ${e.file}` : ''}`;
      process.stderr.write(tty ? `\r${line.slice(0, 100).padEnd(100)}` : `${line}\n`);
    } else {
      process.stderr.write(`${tty ? '\n' : ''}Offline: ${e.days.length} day(s), ${e.downloaded} downloaded (${e.resumed} resumed), ${e.alreadyCached} already cached, ${mb(e.bytesFetched)} fetched${e.violations ? `, ${e.violations} immutability violation(s)` : ''}\n`);
    }
  }, controller.signal);
}
