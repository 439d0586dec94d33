// The rows of a kept result, fetched from the backend in pages (`sql.rows`) as the grid scrolls:
// the pages in view first, then the next ones in the scroll direction, at most two requests at a
// time, newest need first (a page the user has scrolled past is dropped from the queue before it
// is asked for). Pages stay cached (least recently used dropped beyond a cell budget), so scrolling
// back is instant and a million rows never sit in the renderer at once.
import type { ApiClient } from '../../../../shared/api/client';
import { toApiError, type ApiError } from '../../../../shared/api/errors';
import type { SortSpec } from './workspace';

export type Row = readonly unknown[];

const MAX_IN_FLIGHT = 2;
/** Cells kept in memory across cached pages (a page is rows × columns). */
const CELL_BUDGET = 3_000_000;

export function pageSizeFor(columns: number): number {
  if (columns > 150) return 200;
  if (columns > 40) return 500;
  return 1000;
}

export class ResultPages {
  readonly pageSize: number;
  private readonly pages = new Map<number, Row[]>();
  private readonly inFlight = new Set<number>();
  private queue: number[] = [];
  private wanted = new Set<number>();
  private readonly maxPages: number;
  private readonly listeners = new Set<() => void>();
  private version = 0;
  private disposed = false;
  private failure: ApiError | null = null;

  constructor(
    private readonly client: ApiClient,
    private readonly resultId: string,
    readonly rowCount: number,
    columns: number,
    private readonly sort: SortSpec | null,
  ) {
    this.pageSize = pageSizeFor(columns);
    this.maxPages = Math.max(8, Math.floor(CELL_BUDGET / (this.pageSize * Math.max(1, columns))));
  }

  readonly subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  readonly getVersion = (): number => this.version;

  get error(): ApiError | null {
    return this.failure;
  }

  /** The row, or undefined while its page is on its way. */
  row(index: number): Row | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** The first rows (for sizing columns), if loaded. */
  firstPage(): Row[] | undefined {
    return this.pages.get(0);
  }

  /**
   * The grid shows rows first..last (inclusive) and moves in `direction` (+1 down, -1 up): fetch
   * what is missing there, then prefetch ahead.
   */
  want(first: number, last: number, direction: number): void {
    if (this.disposed || this.rowCount === 0) return;
    const lastPage = Math.floor((this.rowCount - 1) / this.pageSize);
    const from = Math.max(0, Math.floor(Math.max(0, first) / this.pageSize));
    const to = Math.min(lastPage, Math.floor(Math.max(0, last) / this.pageSize));
    const order: number[] = [];
    for (let p = from; p <= to; p++) order.push(p);
    // Ahead in the scroll direction (two pages), and one behind.
    const ahead = direction < 0 ? [from - 1, from - 2, to + 1] : [to + 1, to + 2, from - 1];
    for (const p of ahead) if (p >= 0 && p <= lastPage) order.push(p);
    this.wanted = new Set(order);
    // Touch cached pages in view so eviction keeps them.
    for (const p of order) {
      const page = this.pages.get(p);
      if (page) {
        this.pages.delete(p);
        this.pages.set(p, page);
      }
    }
    this.queue = order.filter((p) => !this.pages.has(p) && !this.inFlight.has(p));
    this.pump();
  }

  private pump(): void {
    while (!this.disposed && this.inFlight.size < MAX_IN_FLIGHT && this.queue.length > 0) {
      const p = this.queue.shift()!;
      if (this.pages.has(p) || this.inFlight.has(p)) continue;
      this.fetch(p);
    }
  }

  private fetch(p: number): void {
    this.inFlight.add(p);
    const input = { id: this.resultId, offset: p * this.pageSize, limit: this.pageSize, ...(this.sort ? { sort: this.sort } : {}) };
    this.client.call('sql.rows', input).then(
      ({ rows }) => {
        this.inFlight.delete(p);
        if (this.disposed) return;
        this.pages.set(p, rows);
        this.evict();
        this.changed();
        this.pump();
      },
      (e: unknown) => {
        this.inFlight.delete(p);
        if (this.disposed) return;
        this.failure = toApiError(e);
        this.queue = [];
        this.changed();
      },
    );
  }

  private evict(): void {
    for (const p of this.pages.keys()) {
      if (this.pages.size <= this.maxPages) break;
      if (!this.wanted.has(p)) this.pages.delete(p);
    }
  }

  private changed(): void {
    this.version++;
    this.listeners.forEach((l) => l());
  }

  /** Stops fetching; late answers are dropped. */
  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.listeners.clear();
  }
}
