// "Make available offline" downloads (`snapshots.offline`), one per product, kept outside React so
// a download goes on while the user looks at other pages and shows its progress when they return.
import type { ApiClient, Subscription } from '../../../../shared/api/client';
import type { ApiError } from '../../../../shared/api/errors';
import type { OfflineEvent } from '../../../../shared/model/snapshot';
import { createStore, useStore, type Store } from '../../app/store';

export type DaySelection = { day: string } | { from: string; to: string } | { all: true };
type Progress = Extract<OfflineEvent, { kind: 'progress' }>;
type Done = Extract<OfflineEvent, { kind: 'done' }>;

export type OfflineJob =
  | { status: 'running'; select: DaySelection; progress: Progress | null; startedAt: number }
  | { status: 'done'; select: DaySelection; result: Done }
  | { status: 'error'; select: DaySelection; error: ApiError }
  | { status: 'cancelled'; select: DaySelection; progress: Progress | null };

const jobs = new Map<string, Store<OfflineJob | null>>();
const subs = new Map<string, Subscription>();

function jobStore(product: string): Store<OfflineJob | null> {
  let s = jobs.get(product);
  if (!s) {
    s = createStore<OfflineJob | null>(null);
    jobs.set(product, s);
  }
  return s;
}

export function useOfflineJob(product: string): OfflineJob | null {
  return useStore(jobStore(product));
}

export function startOffline(client: ApiClient, product: string, select: DaySelection, pin: boolean): void {
  const store = jobStore(product);
  subs.get(product)?.cancel();
  store.set({ status: 'running', select, progress: null, startedAt: Date.now() });
  const sub = client.subscribe(
    'snapshots.offline',
    { id: product, select, pin },
    {
      onEvent(e) {
        if (subs.get(product) !== sub) return;
        if (e.kind === 'progress') {
          const job = store.get();
          if (job?.status === 'running') store.set({ ...job, progress: e });
        } else {
          subs.delete(product);
          store.set({ status: 'done', select, result: e });
        }
      },
      onError(error) {
        if (subs.get(product) !== sub) return;
        subs.delete(product);
        const job = store.get();
        store.set(error.code === 'CANCELLED' ? { status: 'cancelled', select, progress: job?.status === 'running' ? job.progress : null } : { status: 'error', select, error });
      },
      onEnd() {
        if (subs.get(product) === sub) subs.delete(product);
      },
    },
  );
  subs.set(product, sub);
}

export function cancelOffline(product: string): void {
  const sub = subs.get(product);
  if (!sub) return;
  subs.delete(product);
  sub.cancel();
  const store = jobStore(product);
  const job = store.get();
  if (job?.status === 'running') store.set({ status: 'cancelled', select: job.select, progress: job.progress });
}

export function dismissOffline(product: string): void {
  if (!subs.has(product)) jobStore(product).set(null);
}

export function describeSelection(select: DaySelection): string {
  if ('day' in select) return select.day;
  if ('from' in select) return `${select.from} → ${select.to}`;
  return 'every day';
}
