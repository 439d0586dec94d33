// One tail or search, outside React. Incoming `messages` events are queued and moved into the
// ring at most once per animation frame, and only then is React told (through a small snapshot
// store), so a stream at 10k msg/s costs a few dozen repaints a second, not one per message, and
// memory stays flat at the ring size.
//
// Pause stops the subscription; Resume starts a new one from `{kind:'offsets'}` so nothing is lost
// or shown twice. Where exactly? The backend sends positions (progress) less often than messages,
// and a progress event may count messages it has read but not sent yet. So a progress event is
// trusted only once every message it counts has arrived (its `matched` ≤ messages received): its
// positions and counts are then exact. Resume starts from the last trusted positions and drops
// what it sees again (an offset below the highest already received in that partition), so the
// counts (scanned, checked, passed) stay exact too, even with a filter.
import type { ApiClient, Subscription } from '../../../../shared/api/client';
import { ApiError } from '../../../../shared/api/errors';
import type { PartitionPosition, StartPosition, StreamMessage, StreamStats, StreamTarget, TailEvent, TailRequest } from '../../../../shared/model/stream';
import { createStore, type Store } from '../../app/store';
import { Ring } from './ring';

export const DEFAULT_RING_SIZE = 100_000;
/** At most this often (ms) is React told about new messages: ~30 repaints a second. */
const MIN_FLUSH_MS = 32;
export const MAX_RING_SIZE = 1_000_000;

/** What a run asks the backend for (a TailRequest minus what the session manages itself). */
export interface TailConfig {
  target: StreamTarget;
  from: StartPosition;
  partitions?: number[];
  filter?: string;
  limit?: number;
  toEnd: boolean;
  until?: number;
  maxScanned?: number;
  capture?: string;
  /** Search runs are shown with a progress bar; tails with a live state. */
  search: boolean;
}

export type Phase = 'idle' | 'starting' | 'running' | 'paused' | 'ended' | 'failed';
export type LiveState = 'live' | 'caught-up' | 'reconnecting' | 'ended';
type Started = Extract<TailEvent, { kind: 'started' }>;

export interface SessionView {
  phase: Phase;
  config: TailConfig | null;
  /** Bumped whenever the ring changed. */
  version: number;
  size: number;
  firstSeq: number;
  endSeq: number;
  capacity: number;
  /** Messages that fell off the front of the full ring since Start or Clear. */
  dropped: number;
  started: Omit<Started, 'kind' | 'positions'> | null;
  /** Where each partition began (for search progress) and where it stands now. */
  startPositions: PartitionPosition[];
  positions: PartitionPosition[];
  state: LiveState | null;
  stateMessage: string | null;
  /** Counted over every run since Start (pause/resume adds up). */
  stats: StreamStats;
  error: ApiError | null;
  /** Why the last run ended, as the backend says it. */
  endMessage: string | null;
  /** Received while paused/stopped: nothing. While running: time of the last message. */
  lastMessageAt: number | null;
}

const ZERO: StreamStats = { scanned: 0, matched: 0, checked: 0, passed: 0, rate: 0, bytes: 0 };

interface Tally {
  /** Messages this run sent, counted as the backend counts `matched`. */
  received: number;
  /** Of those, already received in an earlier run (re-read after a resume) and dropped. */
  skipped: number;
}

/** A progress event whose every counted message has arrived: its positions and counts are exact. */
interface SafePoint {
  stats: StreamStats;
  positions: Map<number, number>;
}

const addStats = (a: StreamStats, b: StreamStats): StreamStats => ({
  scanned: a.scanned + b.scanned,
  matched: a.matched + b.matched,
  checked: a.checked + b.checked,
  passed: a.passed + b.passed,
  rate: b.rate,
  bytes: a.bytes + b.bytes,
});

export class TailSession {
  readonly ring: Ring<StreamMessage>;
  readonly view: Store<SessionView>;

  private sub: Subscription | null = null;
  /** Identifies the current run, so late events of a cancelled one are dropped. */
  private run = 0;
  private pending: StreamMessage[][] = [];
  private pendingCount = 0;
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** A view change that can wait for the next frame (progress, status). */
  private later: Partial<SessionView> | null = null;

  // Per run:
  private tally: Tally = { received: 0, skipped: 0 };
  private candidates: Array<{ stats: StreamStats; positions: Map<number, number> }> = [];
  private safe: SafePoint | null = null;
  private runFrom: StartPosition | null = null;
  private runStart: Map<number, number> | null = null;
  // Across runs since Start:
  /** Exact counts up to the last trusted positions of the finished/paused runs. */
  private base: StreamStats = ZERO;
  /** Per partition, one past the highest offset received: anything below is a duplicate. */
  private received = new Map<number, number>();
  /** Where a resume starts: the last trusted positions. */
  private resumeFrom: StartPosition | null = null;

  constructor(private readonly client: ApiClient, capacity = DEFAULT_RING_SIZE) {
    this.ring = new Ring(capacity);
    this.view = createStore<SessionView>(this.snapshot({ phase: 'idle', config: null, started: null, startPositions: [], positions: [], state: null, stateMessage: null, stats: ZERO, error: null, endMessage: null, lastMessageAt: null }));
  }

  get current(): SessionView {
    return this.view.get();
  }

  /** Starts afresh: clears the ring and the counts. */
  start(config: TailConfig): void {
    this.cancelRun();
    this.ring.clear();
    this.pending = [];
    this.pendingCount = 0;
    this.base = ZERO;
    this.received = new Map();
    this.resumeFrom = null;
    this.set({ phase: 'starting', config, started: null, startPositions: [], positions: [], state: null, stateMessage: null, stats: ZERO, error: null, endMessage: null, lastMessageAt: null });
    this.open(config, config.from, true);
  }

  /** Stops for good (the ring stays for reading and export). */
  stop(): void {
    if (!this.sub) return;
    this.cancelRun();
    this.flush();
    this.set({ phase: 'ended', state: 'ended', stateMessage: 'stopped', stats: { ...this.view.get().stats, rate: 0 } });
  }

  /** Stops reading and keeps the position of every partition, for `resume`. */
  pause(): void {
    if (this.view.get().phase !== 'running' && this.view.get().phase !== 'starting') return;
    this.cancelRun();
    this.flush();
    this.settleRun();
    // The counts shown stay as they were (they include messages received past the last exact
    // position, which a resume reads again without showing them twice).
    this.set({ phase: 'paused', stats: { ...this.view.get().stats, rate: 0 }, stateMessage: null });
  }

  /** Reads on from where `pause` stopped: the next offset of every partition. */
  resume(): void {
    const v = this.view.get();
    if (v.phase !== 'paused' || !v.config) return;
    this.set({ phase: 'starting', error: null, endMessage: null });
    this.open(v.config, this.resumeFrom ?? v.config.from, false);
  }

  /** The offsets a resume would start from (for display and tests). */
  resumeOffsets(): Record<string, number> | null {
    return this.resumeFrom?.kind === 'offsets' ? this.resumeFrom.offsets : null;
  }

  setCapacity(capacity: number): void {
    this.ring.resize(capacity);
    this.publish();
  }

  /** Empties the view; a running tail goes on filling it. */
  clear(): void {
    this.ring.clear();
    this.pending = [];
    this.pendingCount = 0;
    this.publish();
  }

  dispose(): void {
    this.cancelRun();
    if (this.frame) cancelAnimationFrame(this.frame);
    if (this.timer) clearTimeout(this.timer);
    this.frame = 0;
    this.timer = null;
  }

  // ---------- internals ----------

  private open(config: TailConfig, from: StartPosition, fresh: boolean): void {
    const run = ++this.run;
    this.tally = { received: 0, skipped: 0 };
    this.candidates = [];
    this.safe = null;
    this.runFrom = from;
    this.runStart = null;
    const matchedSoFar = this.base.matched;
    const scannedSoFar = this.base.scanned;
    const request: TailRequest = {
      target: config.target,
      from,
      toEnd: config.toEnd,
      ...(config.partitions ? { partitions: config.partitions } : {}),
      ...(config.filter?.trim() ? { filter: config.filter } : {}),
      ...(config.limit !== undefined ? { limit: Math.max(1, config.limit - matchedSoFar) } : {}),
      ...(config.until !== undefined ? { until: config.until } : {}),
      ...(config.maxScanned !== undefined ? { maxScanned: Math.max(1, config.maxScanned - scannedSoFar) } : {}),
      // A resumed run must not overwrite the capture its first run began.
      ...(config.capture && fresh ? { capture: config.capture } : {}),
    };
    this.sub = this.client.subscribe('stream.tail', request, {
      onEvent: (e) => run === this.run && this.onEvent(e, fresh),
      onError: (e) => {
        if (run !== this.run) return;
        this.sub = null;
        this.flush();
        this.set({ phase: 'failed', error: e, state: null, stats: { ...this.view.get().stats, rate: 0 } });
      },
      onEnd: () => {
        if (run !== this.run) return;
        this.sub = null;
        this.flush();
        this.settleRun();
        const v = this.view.get();
        this.set({ phase: 'ended', state: 'ended', stats: { ...this.base, rate: 0 }, endMessage: v.endMessage ?? v.stateMessage });
      },
    });
  }

  private onEvent(e: TailEvent, fresh: boolean): void {
    switch (e.kind) {
      case 'started': {
        const { kind: _kind, positions, ...started } = e;
        this.runStart = new Map(positions.map((p) => [p.partition, p.next]));
        const v = this.view.get();
        this.set({
          phase: 'running',
          started,
          // A resumed run keeps the first run's start, so search progress counts from there.
          startPositions: fresh || !v.startPositions.length ? positions : v.startPositions,
          positions,
          state: started.live ? 'live' : null,
          stateMessage: null,
        });
        return;
      }
      case 'messages': {
        const batch: StreamMessage[] = [];
        for (const m of e.messages) {
          this.tally.received++;
          const next = this.received.get(m.partition) ?? -1;
          if (m.offset < next) this.tally.skipped++;
          else {
            this.received.set(m.partition, m.offset + 1);
            batch.push(m);
          }
          // A progress event becomes trustworthy once every message it counts has arrived.
          while (this.candidates.length && this.candidates[0]!.stats.matched <= this.tally.received) this.settle(this.candidates.shift()!);
        }
        if (!batch.length) return;
        this.pending.push(batch);
        this.pendingCount += batch.length;
        // Hidden tabs get no animation frames: never queue more than the ring could keep.
        while (this.pendingCount - this.pending[0]!.length >= this.ring.capacity) this.pendingCount -= this.pending.shift()!.length;
        this.schedule();
        return;
      }
      case 'progress': {
        const candidate = { stats: e.stats, positions: new Map(e.positions.map((p) => [p.partition, p.next])) };
        if (e.stats.matched <= this.tally.received) {
          this.candidates = [];
          this.settle(candidate);
        } else {
          this.candidates.push(candidate);
          if (this.candidates.length > 64) this.candidates.shift();
        }
        this.setLater({ positions: e.positions, stats: addStats(this.base, { ...e.stats, matched: Math.max(e.stats.matched, this.tally.received) }) });
        return;
      }
      case 'status': {
        if (e.state === 'ended') {
          this.setLater({ endMessage: e.message ?? null, state: 'ended', stateMessage: e.message ?? null });
        } else {
          this.setLater({ state: e.state, stateMessage: e.message ?? null });
        }
        return;
      }
    }
  }

  private settle(c: { stats: StreamStats; positions: Map<number, number> }): void {
    this.safe = { stats: c.stats, positions: c.positions };
  }

  /**
   * Ends the current run's bookkeeping: its exact counts join the base, and the next resume starts
   * where it was last known exactly (or where it started, or from what it was asked to, when no
   * position was trusted yet).
   */
  private settleRun(): void {
    const s = this.safe;
    if (s) {
      // Its counts include what it re-read after a resume: base stopped short of those (at the
      // last trusted positions), so nothing is counted twice.
      this.base = addStats(this.base, { ...s.stats, rate: 0 });
      this.resumeFrom = { kind: 'offsets', offsets: Object.fromEntries([...s.positions].map(([p, o]) => [String(p), o])) };
    } else if (this.runStart) {
      this.resumeFrom = { kind: 'offsets', offsets: Object.fromEntries([...this.runStart].map(([p, o]) => [String(p), o])) };
    } else {
      this.resumeFrom = this.runFrom;
    }
    this.safe = null;
    this.candidates = [];
  }

  private cancelRun(): void {
    this.run++;
    this.sub?.cancel();
    this.sub = null;
  }

  private lastFlush = 0;

  private schedule(): void {
    if (this.frame) return;
    const onFrame = (now: number) => {
      // A frame came sooner than the repaint budget allows: wait for a later one.
      if (now - this.lastFlush < MIN_FLUSH_MS) this.frame = requestAnimationFrame(onFrame);
      else this.flush();
    };
    this.frame = requestAnimationFrame(onFrame);
    // Background tabs get no frames; a timer still drains the queue there (browsers slow it to ~1/s).
    this.timer ??= setTimeout(() => this.flush(), 250);
  }

  /** Moves what arrived into the ring and tells React, at most once per frame. */
  private flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    if (this.timer) clearTimeout(this.timer);
    this.frame = 0;
    this.timer = null;
    this.lastFlush = performance.now();
    const later = this.later;
    this.later = null;
    if (!this.pending.length && !later) return;
    let received = false;
    for (const batch of this.pending) {
      this.ring.push(batch);
      received = true;
    }
    this.pending = [];
    this.pendingCount = 0;
    this.set({ ...(later ?? {}), ...(received ? { lastMessageAt: Date.now() } : {}) });
  }

  private setLater(patch: Partial<SessionView>): void {
    this.later = { ...(this.later ?? {}), ...patch };
    this.schedule();
  }

  private publish(): void {
    this.set({});
  }

  private set(patch: Partial<SessionView>): void {
    if (this.later) {
      patch = { ...this.later, ...patch };
      this.later = null;
    }
    this.view.set(this.snapshot({ ...this.view.get(), ...patch }));
  }

  private snapshot(v: Omit<SessionView, 'version' | 'size' | 'firstSeq' | 'endSeq' | 'capacity' | 'dropped'> & Partial<SessionView>): SessionView {
    const prev = (this.view as Store<SessionView> | undefined)?.get();
    const changed = !prev || prev.size !== this.ring.size || prev.endSeq !== this.ring.endSeq || prev.firstSeq !== this.ring.firstSeq || prev.capacity !== this.ring.capacity;
    return { ...v, version: (prev?.version ?? 0) + (changed ? 1 : 0), size: this.ring.size, firstSeq: this.ring.firstSeq, endSeq: this.ring.endSeq, capacity: this.ring.capacity, dropped: this.ring.evicted };
  }
}

/** The stats shown for a view: its pass rate over what was checked. */
export function passRate(stats: StreamStats): number | null {
  return stats.checked > 0 ? stats.passed / stats.checked : null;
}
