// Snapshot days laid out as month calendars, with the days missing between the first and last
// snapshot called out: a gap in a daily series is what a consumer needs to see first.
import type { SnapshotDaySummary as SnapshotDay } from '../../../../shared/model/snapshot';

export interface CalendarCell {
  date: string;
  day: number;
  snapshot: SnapshotDay | undefined;
  /** No snapshot, although the series runs across this day. */
  gap: boolean;
}
export interface CalendarMonth {
  key: string;
  label: string;
  /** Blank cells before the 1st, so weeks start on Monday. */
  offset: number;
  cells: CalendarCell[];
}

const DAY_MS = 86_400_000;
const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

export function snapshotMonths(days: readonly SnapshotDay[], maxMonths: number): { months: CalendarMonth[]; hiddenMonths: number; gaps: number } {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const sorted = [...byDate.keys()].sort();
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) return { months: [], hiddenMonths: 0, gaps: 0 };
  const months = new Map<string, CalendarMonth>();
  let gaps = 0;
  // Whole months, from the 1st of the first snapshot's month to the end of the last one's.
  const [start, end] = [toDate(first), toDate(last)];
  const until = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 1);
  for (let t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1); t < until; t += DAY_MS) {
    const d = new Date(t);
    const iso = toIso(d);
    const key = iso.slice(0, 7);
    let month = months.get(key);
    if (!month) {
      month = { key, label: d.toLocaleDateString(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' }), offset: (d.getUTCDay() + 6) % 7, cells: [] };
      months.set(key, month);
    }
    const snapshot = byDate.get(iso);
    const gap = !snapshot && iso > first && iso < last;
    if (gap) gaps++;
    month.cells.push({ date: iso, day: d.getUTCDate(), snapshot, gap });
  }
  const all = [...months.values()].reverse(); // newest first: the latest data matters most
  return { months: all.slice(0, maxMonths), hiddenMonths: Math.max(0, all.length - maxMonths), gaps };
}
