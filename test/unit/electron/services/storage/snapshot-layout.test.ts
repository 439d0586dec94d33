import { describe, expect, it } from 'vitest';
import { inRange, isCalendarDate, layoutMatcher, matchDay } from '../../../../../electron/services/storage/snapshot-layout';

describe('snapshot layouts', () => {
  it.each([
    ['date=2026-10-01/part-0.parquet', '2026-10-01', 'date=2026-10-01/', 'part-0.parquet'],
    ['dt=2026-10-02/part-0.parquet', '2026-10-02', 'dt=2026-10-02/', 'part-0.parquet'],
    ['day=2026-10-03/x.parquet', '2026-10-03', 'day=2026-10-03/', 'x.parquet'],
    ['2026-10-04/x.parquet', '2026-10-04', '2026-10-04/', 'x.parquet'],
    ['2026/10/05/x.parquet', '2026-10-05', '2026/10/05/', 'x.parquet'],
    ['year=2026/month=10/day=06/x.parquet', '2026-10-06', 'year=2026/month=10/day=06/', 'x.parquet'],
    ['year=2026/month=1/day=7/x.parquet', '2026-01-07', 'year=2026/month=1/day=7/', 'x.parquet'],
    ['date=2026-10-01/region=eu/part-0.parquet', '2026-10-01', 'date=2026-10-01/', 'region=eu/part-0.parquet'],
  ])('%s is day %s', (path, date, dayPath, name) => {
    expect(matchDay(path)).toEqual({ date, dayPath, name });
  });

  it.each([
    'date=2026-02-30/part-0.parquet', // not a calendar day
    'date=2026-10-01/_SUCCESS',
    'date=2026-10-01/part-0.parquet.crc',
    'date=2026-10-01/.part-0.parquet',
    'date=2026-10-01/_metadata.parquet',
    'date=2026-10-01.parquet', // a file, not a folder
    'part-0.parquet',
    'latest/part-0.parquet',
    '2026/10/part-0.parquet',
    '2026/13/01/part-0.parquet',
    'date=2026-10-01/part-0.parquet.partial',
  ])('%s is not a snapshot file', (path) => {
    expect(matchDay(path)).toBeNull();
  });

  it('checks calendar dates, leap years included', () => {
    expect(isCalendarDate(2024, 2, 29)).toBe(true);
    expect(isCalendarDate(2026, 2, 29)).toBe(false);
    expect(isCalendarDate(2026, 4, 31)).toBe(false);
  });

  it('the declared default and the built-in forms use the built-in recogniser (dt= found under a date= default)', () => {
    const m = layoutMatcher('date=YYYY-MM-DD/*.parquet');
    expect(m('dt=2026-10-02/a.parquet')?.date).toBe('2026-10-02');
    expect(layoutMatcher(undefined)('2026/10/05/a.parquet')?.date).toBe('2026-10-05');
  });

  it('compiles a custom snapshotLayout pattern', () => {
    const m = layoutMatcher('exports/YYYYMMDD/*.parquet');
    expect(m('exports/20261001/orders.parquet')).toEqual({ date: '2026-10-01', dayPath: 'exports/20261001/', name: 'orders.parquet' });
    expect(m('exports/20261301/orders.parquet')).toBeNull();
    expect(m('other/20261001/orders.parquet')).toBeNull();
    expect(m('exports/20261001/orders.csv')).toBeNull();
    const nested = layoutMatcher('**/snap_YYYY_MM_DD/*.parquet');
    expect(nested('a/b/snap_2026_10_09/p.parquet')?.date).toBe('2026-10-09');
  });

  it('ranges are inclusive and open-ended', () => {
    expect(inRange('2026-10-05', '2026-10-05', '2026-10-05')).toBe(true);
    expect(inRange('2026-10-05', '2026-10-06')).toBe(false);
    expect(inRange('2026-10-05', null, '2026-10-04')).toBe(false);
    expect(inRange('2026-10-05')).toBe(true);
  });
});
