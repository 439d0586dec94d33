// Answers to API calls, shared by method + input. Two views asking the same question make one
// request, a page you come back to shows its last answer at once (no skeleton flash) while it
// refreshes, and a catalog change refreshes exactly what is on screen.
import type { ApiClient } from '../../../shared/api/client';
import type { InputOf, OutputOf, ProcedureName } from '../../../shared/api/contract';
import { toApiError, type ApiError } from '../../../shared/api/errors';

export interface CallState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** A request is in flight: the first load, a retry or a refresh. */
  pending: boolean;
}

export class CallEntry<T> {
  private state: CallState<T> = { data: undefined, error: undefined, pending: false };
  private readonly listeners = new Set<() => void>();
  private stale = true;
  private generation = 0;

  constructor(private readonly run: () => Promise<T>) {}

  readonly getSnapshot = (): CallState<T> => this.state;

  /** Listening is what fetches: an entry loads when a view first needs it, or needs it again after it went stale. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    if (this.stale) this.load();
    return () => this.listeners.delete(listener);
  };

  readonly load = (): void => {
    // Only the latest request may answer, so a slow old one cannot overwrite a fresh one.
    const generation = ++this.generation;
    this.stale = false;
    this.set({ ...this.state, pending: true });
    this.run().then(
      (data) => generation === this.generation && this.set({ data, error: undefined, pending: false }),
      (e: unknown) => generation === this.generation && this.set({ data: undefined, error: toApiError(e), pending: false }),
    );
  };

  invalidate(): void {
    this.stale = true;
    if (this.listeners.size > 0) this.load();
  }

  private set(state: CallState<T>) {
    this.state = state;
    this.listeners.forEach((l) => l());
  }
}

export class CallCache {
  private readonly entries = new Map<string, CallEntry<unknown>>();

  constructor(private readonly client: ApiClient) {}

  /** The entry for this call, created on first use; it does not fetch until someone subscribes. */
  entry<P extends ProcedureName>(method: P, input: InputOf<P>): CallEntry<OutputOf<P>> {
    const key = `${method} ${JSON.stringify(input)}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = new CallEntry(() => this.client.call(method, input));
      this.entries.set(key, entry);
    }
    return entry as CallEntry<OutputOf<P>>;
  }

  /** Everything may have changed (the catalog reloaded): refresh what is shown, drop the rest lazily. */
  invalidateAll(): void {
    this.entries.forEach((e) => e.invalidate());
  }
}
