// What the toolbar holds, as text the user typed, and how it becomes a run's TailConfig (or says
// exactly what is wrong with it).
import { parseStartPosition, type StartPosition, type StreamTarget } from '../../../../shared/model/stream';
import { DEFAULT_RING_SIZE, MAX_RING_SIZE, type TailConfig } from './tail-session';

export type SearchBound = 'newest' | 'oldest' | 'range';

export interface StreamForm {
  mode: 'tail' | 'search';
  /** Anything parseStartPosition reads: latest, earliest, last:100, 1500, 0:12,1:40, -15m, an ISO time. */
  from: string;
  /** null: every partition. */
  partitions: number[] | null;
  filter: string;
  /** Follow the stream live, or stop at its end as it was at Start. */
  follow: boolean;
  limit: string;
  ringSize: string;
  capture: boolean;
  captureName: string;
  searchBound: SearchBound;
  searchN: string;
  searchFrom: string;
  searchTo: string;
}

export const DEFAULT_FORM: StreamForm = {
  mode: 'tail',
  from: 'latest',
  partitions: null,
  filter: '',
  follow: true,
  limit: '',
  ringSize: String(DEFAULT_RING_SIZE),
  capture: false,
  captureName: '',
  searchBound: 'newest',
  searchN: '1000',
  searchFrom: '-1h',
  searchTo: '',
};

export const FROM_PRESETS: Array<{ label: string; value: string; hint: string }> = [
  { label: 'Latest', value: 'latest', hint: 'Only messages that arrive from now on' },
  { label: 'Earliest', value: 'earliest', hint: 'From the oldest message still in each partition' },
  { label: 'Last 100', value: 'last:100', hint: 'The last N messages of each partition (last:N)' },
  { label: 'Offset', value: '0', hint: 'The same offset in every partition, or per partition: 0:120,1:99' },
  { label: '−15 min', value: '-15m', hint: 'From a time: relative (-15m, -2h, -1d) or ISO (2026-10-01T12:00:00Z)' },
];

/** One line saying what a start position means, or why it cannot be read. */
export function describeStart(text: string, now = Date.now()): { ok: true; position: StartPosition; text: string } | { ok: false; error: string } {
  let position: StartPosition;
  try {
    position = parseStartPosition(text, now);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  switch (position.kind) {
    case 'latest':
      return { ok: true, position, text: 'new messages only' };
    case 'earliest':
      return { ok: true, position, text: 'from the oldest message' };
    case 'offset':
      return { ok: true, position, text: `from offset ${position.offset.toLocaleString()} in every partition` };
    case 'offsets':
      return { ok: true, position, text: `from ${Object.entries(position.offsets).map(([p, o]) => `p${p}@${o}`).join(', ')}; other partitions from latest` };
    case 'last':
      return { ok: true, position, text: `the last ${position.n.toLocaleString()} of each partition` };
    case 'timestamp':
      return { ok: true, position, text: `from ${new Date(position.at).toLocaleString()}` };
  }
}

function positiveInt(text: string, what: string, max = Number.MAX_SAFE_INTEGER): number | string {
  const t = text.trim().replace(/[_,\s]/g, '');
  if (!/^\d+$/.test(t) || Number(t) < 1) return `${what} must be a whole number above 0`;
  if (Number(t) > max) return `${what} can be at most ${max.toLocaleString()}`;
  return Number(t);
}

function timeOf(text: string, what: string, now: number): number | string {
  try {
    const p = parseStartPosition(text, now);
    if (p.kind === 'timestamp') return p.at;
  } catch {
    // said below
  }
  return `${what}: give an ISO time (2026-10-01T12:00:00Z) or a relative one (-15m, -2h, -1d)`;
}

export function ringSizeOf(form: StreamForm): number | string {
  return positiveInt(form.ringSize, 'Ring size', MAX_RING_SIZE);
}

/** A capture name the backend accepts: a file name ending in .parquet. */
export function captureFile(name: string): string | null {
  const base = name.trim().replace(/\.parquet$/i, '');
  if (!base || /[/\\]/.test(base) || base.length > 240) return null;
  return `${base}.parquet`;
}

export function defaultCaptureName(topic: string, at = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${topic}-${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

/** The run the form describes, or the first thing wrong with it. */
export function buildConfig(form: StreamForm, target: StreamTarget, now = Date.now()): { config: TailConfig } | { error: string } {
  const base = {
    target,
    ...(form.partitions ? { partitions: form.partitions } : {}),
    ...(form.filter.trim() ? { filter: form.filter } : {}),
  };
  if (form.partitions?.length === 0) return { error: 'Pick at least one partition' };
  if (form.mode === 'tail') {
    const start = describeStart(form.from, now);
    if (!start.ok) return { error: start.error };
    let limit: number | undefined;
    if (form.limit.trim()) {
      const l = positiveInt(form.limit, 'Limit');
      if (typeof l === 'string') return { error: l };
      limit = l;
    }
    let capture: string | undefined;
    if (form.capture) {
      const file = captureFile(form.captureName);
      if (!file) return { error: 'Capture name: a file name (no / or \\)' };
      capture = file;
    }
    return {
      config: { ...base, from: start.position, toEnd: !form.follow, search: false, ...(limit !== undefined ? { limit } : {}), ...(capture ? { capture } : {}) },
    };
  }
  if (form.searchBound === 'range') {
    const at = timeOf(form.searchFrom, 'From', now);
    if (typeof at === 'string') return { error: at };
    let until: number | undefined;
    if (form.searchTo.trim()) {
      const u = timeOf(form.searchTo, 'To', now);
      if (typeof u === 'string') return { error: u };
      if (u < at) return { error: 'To is before From' };
      until = u;
    }
    return { config: { ...base, from: { kind: 'timestamp', at }, toEnd: true, search: true, ...(until !== undefined ? { until } : {}) } };
  }
  const n = positiveInt(form.searchN, 'N', 10_000_000);
  if (typeof n === 'string') return { error: n };
  if (form.searchBound === 'newest') return { config: { ...base, from: { kind: 'last', n }, toEnd: true, search: true } };
  return { config: { ...base, from: { kind: 'earliest' }, maxScanned: n, toEnd: true, search: true } };
}
