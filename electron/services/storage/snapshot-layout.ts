// Which day a snapshot file belongs to, from its path below the product's location.
//
// Recognised layouts (the path is relative to the location, e.g. below s3://bucket/sales.orders/):
//
//   date=YYYY-MM-DD/part-0.parquet            Hive-style partition (the default, ODCS snapshotLayout)
//   dt=YYYY-MM-DD/part-0.parquet              Hive-style, short name
//   day=YYYY-MM-DD/part-0.parquet             Hive-style, "day"
//   YYYY-MM-DD/part-0.parquet                 plain date folder
//   YYYY/MM/DD/part-0.parquet                 one folder per year, month and day
//   year=YYYY/month=MM/day=DD/part-0.parquet  Hive-style, one partition per date part
//
// Files may sit in sub-folders below the day folder (date=…/region=eu/part-0.parquet); they belong
// to that day. Only `*.parquet` files count (not _SUCCESS, .crc, .partial, hidden files). Dates must be
// real calendar dates (2026-02-30 is not a day). A contract may declare its own layout with the
// `snapshotLayout` custom property, a pattern where YYYY, MM and DD stand for the date parts,
// `*` for any characters within one path segment and `**` for any number of segments, e.g.
// `exports/YYYYMMDD/*.parquet`; the file name part of the default (`*.parquet`) also accepts files in
// sub-folders of the day.

export interface DayMatch {
  /** YYYY-MM-DD */
  date: string;
  /** The day folder, relative to the location, with a trailing slash: `date=2026-10-01/`. */
  dayPath: string;
  /** The file's path below the day folder: `part-0.parquet`, `region=eu/part-0.parquet`. */
  name: string;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when y-m-d is a real calendar date. */
export function isCalendarDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function isoDate(y: string, m: string, d: string): string | null {
  return isCalendarDate(Number(y), Number(m), Number(d)) ? `${y}-${m}-${d}` : null;
}

export function isSnapshotFileName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.endsWith('.parquet') && !base.startsWith('.') && !base.startsWith('_');
}

/** The built-in layouts, tried in order on the leading segments of the path. */
function builtInDay(segments: string[]): { date: string; depth: number } | null {
  const [a, b, c] = segments;
  if (a === undefined) return null;
  const hive = /^(?:date|dt|day)=(.+)$/.exec(a);
  const iso = ISO.exec(hive ? hive[1]! : a);
  if (iso) {
    const date = isoDate(iso[1]!, iso[2]!, iso[3]!);
    return date ? { date, depth: 1 } : null;
  }
  if (b === undefined || c === undefined) return null;
  const plain = /^\d{4}$/.test(a) && /^\d{2}$/.test(b) && /^\d{2}$/.test(c);
  if (plain) {
    const date = isoDate(a, b, c);
    return date ? { date, depth: 3 } : null;
  }
  const y = /^year=(\d{4})$/.exec(a);
  const m = /^month=(\d{1,2})$/.exec(b);
  const d = /^day=(\d{1,2})$/.exec(c);
  if (y && m && d) {
    const date = isoDate(y[1]!, m[1]!.padStart(2, '0'), d[1]!.padStart(2, '0'));
    return date ? { date, depth: 3 } : null;
  }
  return null;
}

/** The day a path (relative to the location, `/`-separated) belongs to, by the built-in layouts. */
export function matchDay(relPath: string): DayMatch | null {
  const rel = relPath.replace(/^\/+/, '');
  if (!isSnapshotFileName(rel)) return null;
  const segments = rel.split('/');
  const hit = builtInDay(segments);
  if (!hit || segments.length <= hit.depth) return null;
  return { date: hit.date, dayPath: segments.slice(0, hit.depth).join('/') + '/', name: segments.slice(hit.depth).join('/') };
}

export type DayMatcher = (relPath: string) => DayMatch | null;

/**
 * A matcher for a declared layout pattern. The default pattern and the built-in forms use the
 * built-in recogniser (so `dt=` and `YYYY/MM/DD` folders are found under a `date=` default too);
 * any other pattern is compiled into a regular expression.
 */
export function layoutMatcher(pattern?: string | null): DayMatcher {
  const p = pattern?.trim();
  if (!p || BUILT_IN_PATTERNS.has(p)) return matchDay;
  const dirPart = p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '';
  const filePart = p.slice(dirPart.length) || '*.parquet';
  if (!/YYYY/.test(dirPart) || !/MM/.test(dirPart) || !/DD/.test(dirPart)) return matchDay;
  const groups: Array<'Y' | 'M' | 'D'> = [];
  let re = '';
  for (let i = 0; i < dirPart.length; ) {
    const rest = dirPart.slice(i);
    if (rest.startsWith('YYYY')) {
      re += '(\\d{4})';
      groups.push('Y');
      i += 4;
    } else if (rest.startsWith('MM')) {
      re += '(\\d{2})';
      groups.push('M');
      i += 2;
    } else if (rest.startsWith('DD')) {
      re += '(\\d{2})';
      groups.push('D');
      i += 2;
    } else if (rest.startsWith('**')) {
      re += '.*';
      i += 2;
    } else if (rest.startsWith('*')) {
      re += '[^/]*';
      i += 1;
    } else {
      re += rest[0]!.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  const dayRe = new RegExp(`^(${re})(.+)$`);
  const fileRe = new RegExp('^' + filePart.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  return (relPath) => {
    const rel = relPath.replace(/^\/+/, '');
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    if (base.startsWith('.') || base.startsWith('_') || !fileRe.test(base)) return null;
    const m = dayRe.exec(rel);
    if (!m) return null;
    const parts: Record<string, string> = {};
    groups.forEach((g, i) => (parts[g] = m[i + 2]!));
    const date = isoDate(parts.Y!, parts.M!, parts.D!);
    const name = m[groups.length + 2]!;
    if (!date) return null;
    return { date, dayPath: m[1]!, name };
  };
}

const BUILT_IN_PATTERNS = new Set([
  'date=YYYY-MM-DD/*.parquet',
  'dt=YYYY-MM-DD/*.parquet',
  'day=YYYY-MM-DD/*.parquet',
  'YYYY-MM-DD/*.parquet',
  'YYYY/MM/DD/*.parquet',
  'year=YYYY/month=MM/day=DD/*.parquet',
]);

/** Days in [from, to] (inclusive, YYYY-MM-DD strings compare as dates). */
export function inRange(date: string, from?: string | null, to?: string | null): boolean {
  return (!from || date >= from) && (!to || date <= to);
}
