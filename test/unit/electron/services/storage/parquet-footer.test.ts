import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareStatValues, mergeColumnStats, readParquetFooter, type ColumnStats } from '../../../../../electron/services/storage/parquet-footer';
import { LocalSnapshotStore } from '../../../../../electron/services/storage/snapshot-store';
import { sqlString } from '../../../../../electron/services/sql/duckdb';
import { duck, duckToIso, wideSelect, writeCorrupt, writeParquet, writeTruncated } from './fixtures';

/** Every kind of column the footer reader decodes, 10 000 rows in 5 row groups. */
const ALL_TYPES = `SELECT i::INTEGER AS id, (i - 5000)::BIGINT * 1000000000000 AS big, 'name-' || i AS name, (i / 7.0)::DOUBLE AS ratio,
  ((i % 4000) * 1.25 - 100)::DECIMAL(10,2) AS amount, (i * 12345.678)::DECIMAL(20,3) AS bigdec, ((i % 1000) * 0.5 - 7)::DECIMAL(4,1) AS smalldec,
  TIMESTAMPTZ '2026-10-01 00:00:00+00' + INTERVAL (i) SECOND + INTERVAL (i) MICROSECOND AS ts,
  TIMESTAMP '2026-09-30 12:00:00' + INTERVAL (i) MINUTE AS ts_local, make_timestamp_ns(1790812800123456789 + i::BIGINT * 1000000000) AS ts_ns,
  DATE '2026-10-01' + (i % 30)::INTEGER AS d, i % 2 = 0 AS flag, CASE WHEN i % 5 = 0 THEN NULL ELSE 'x' || (i % 13) END AS maybe,
  [i, i + 1] AS arr, {'a': i, 'b': 'q' || (i % 3)} AS st, [{'sku': 'S' || i, 'qty': (i % 7)::INTEGER}] AS items, MAP {'k' || (i % 3): i} AS m,
  'é€' || i AS uni, (i % 100)::TINYINT AS tiny, (i * 2)::UINTEGER AS uint, CASE WHEN i < 2048 THEN NULL ELSE i END AS late
  FROM range(10000) t(i)`;

describe('Parquet footers', () => {
  let dir: string;
  let store: LocalSnapshotStore;
  const file = (name: string) => join(dir, name);
  const footerOf = async (name: string) => readParquetFooter(store, { key: file(name), size: (await stat(file(name))).size });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dpx-footer-'));
    store = new LocalSnapshotStore(dir);
    await writeParquet(file('all.parquet'), ALL_TYPES, 2048);
    await writeParquet(file('one-group.parquet'), ALL_TYPES.replace('range(10000)', 'range(1, 1001)'));
    await writeParquet(file('wide.parquet'), wideSelect(), 2048);
    await writeCorrupt(file('corrupt.parquet'));
    await writeTruncated(file('all.parquet'), file('truncated.parquet'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads rows, row groups, created_by and the schema, nested types as DuckDB reads them', async () => {
    const f = await footerOf('all.parquet');
    expect(f.rows).toBe(10000);
    expect(f.rowGroups).toBe(5);
    expect(f.createdBy).toMatch(/^DuckDB/);
    const described = await duck<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet(${sqlString(file('all.parquet'))})`);
    expect(f.schema.map((c) => [c.name, c.type])).toEqual(described.map((d) => [d.column_name, d.column_type]));
    const byName = new Map(f.schema.map((c) => [c.name, c]));
    expect(byName.get('items')).toMatchObject({ kind: 'list', type: 'STRUCT(sku VARCHAR, qty INTEGER)[]', logicalType: 'LIST' });
    expect(byName.get('items')!.children[0]).toMatchObject({ kind: 'struct', path: 'items[]', children: [{ name: 'sku', path: 'items[].sku', physicalType: 'BYTE_ARRAY', logicalType: 'STRING' }, { name: 'qty', type: 'INTEGER' }] });
    expect(byName.get('m')).toMatchObject({ kind: 'map', type: 'MAP(VARCHAR, BIGINT)' });
    expect(byName.get('bigdec')).toMatchObject({ physicalType: 'FIXED_LEN_BYTE_ARRAY', type: 'DECIMAL(20,3)', precision: 20, scale: 3 });
    expect(byName.get('ts')).toMatchObject({ physicalType: 'INT64', type: 'TIMESTAMP WITH TIME ZONE', unit: 'MICROS', adjustedToUTC: true });
    expect(byName.get('ts_ns')).toMatchObject({ type: 'TIMESTAMP_NS', unit: 'NANOS', adjustedToUTC: false });
    expect(f.columns.map((c) => c.path)).toContain('items[].sku');
    expect(f.columns.find((c) => c.path === 'm.key')?.parquetPath).toBe('m.key_value.key');
  });

  it('decodes statistics exactly as DuckDB reports them (one row group)', async () => {
    const f = await footerOf('one-group.parquet');
    const duckRows = await duck<{ path_in_schema: string; stats_min_value: string | null; stats_max_value: string | null; stats_null_count: string | null }>(
      `SELECT path_in_schema, stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata(${sqlString(file('one-group.parquet'))})`,
    );
    expect(duckRows).toHaveLength(f.columns.length);
    for (const d of duckRows) {
      const c = f.columns.find((x) => x.parquetPath === d.path_in_schema.replaceAll(', ', '.'))!;
      expect(c, d.path_in_schema).toBeDefined();
      expect([show(c, c.min), show(c, c.max), c.nullCount], c.path).toEqual([norm(c, d.stats_min_value), norm(c, d.stats_max_value), Number(d.stats_null_count)]);
    }
    const amount = f.columns.find((c) => c.path === 'amount')!;
    expect([amount.min, amount.max]).toEqual(['-98.75', '1150.00']);
    expect(f.columns.find((c) => c.path === 'ts')!.min).toBe('2026-10-01T00:00:01.000001Z');
    expect(f.columns.find((c) => c.path === 'ts_local')!.min).toBe('2026-09-30T12:01:00.000000');
    expect(f.columns.find((c) => c.path === 'ts_ns')!.max).toBe('2026-10-01T00:16:40.123456789');
    expect(f.columns.find((c) => c.path === 'big')!.max).toBe(-4000000000000000);
  });

  it('aggregates statistics over row groups like DuckDB min()/max() over its per-row-group statistics', async () => {
    const f = await footerOf('all.parquet');
    const path = sqlString(file('all.parquet'));
    for (const c of f.columns) {
      if (c.valueType === 'binary') continue;
      const cast = c.valueType === 'string' ? 'VARCHAR' : c.type;
      const [d] = await duck<{ lo: string | null; hi: string | null; nulls: string }>(`
        SELECT min(TRY_CAST(stats_min_value AS ${cast}))::VARCHAR AS lo, max(TRY_CAST(stats_max_value AS ${cast}))::VARCHAR AS hi, sum(stats_null_count)::VARCHAR AS nulls
        FROM parquet_metadata(${path}) WHERE path_in_schema = ${sqlString(c.parquetPath.replaceAll('.', ', '))}`);
      expect([show(c, c.min), show(c, c.max), c.nullCount], c.path).toEqual([norm(c, d!.lo), norm(c, d!.hi), Number(d!.nulls)]);
      expect(c.complete, c.path).toBe(true);
    }
    // and they are the data's own extremes
    const [data] = await duck<{ lo: string; hi: string; nulls: string }>(`SELECT min(amount)::VARCHAR AS lo, max(amount)::VARCHAR AS hi, count(*) FILTER (WHERE late IS NULL)::VARCHAR AS nulls FROM read_parquet(${path})`);
    expect(f.columns.find((c) => c.path === 'amount')).toMatchObject({ min: data!.lo, max: data!.hi });
    expect(f.columns.find((c) => c.path === 'late')!.nullCount).toBe(Number(data!.nulls));
  });

  it('fetches the last 64 KiB once for a footer that fits, never the whole file', async () => {
    const f = await footerOf('all.parquet');
    expect(f.size).toBeGreaterThan(64 * 1024);
    expect(f.requests).toBe(1);
    expect(f.bytesFetched).toBe(64 * 1024);
  });

  it('fetches exactly the missing part of a footer larger than 64 KiB', async () => {
    const f = await footerOf('wide.parquet');
    expect(f.metadataLength + 8).toBeGreaterThan(64 * 1024);
    expect(f.requests).toBe(2);
    expect(f.bytesFetched).toBe(f.metadataLength + 8);
    expect(f.bytesFetched).toBeLessThanOrEqual(f.metadataLength + 8 + 64 * 1024);
    expect(f.bytesFetched).toBeLessThan(f.size / 10);
    expect(f.columns).toHaveLength(120);
    expect(f.columns[5]).toMatchObject({ path: 'c005', min: 0, max: (2048 * 12 - 1) * 6 });
  });

  it('names the file and the problem for files that are not Parquet', async () => {
    await expect(footerOf('corrupt.parquet')).rejects.toThrow(`${file('corrupt.parquet')}: not a Parquet file: magic bytes missing`);
    await expect(footerOf('truncated.parquet')).rejects.toThrow(`${file('truncated.parquet')}: not a Parquet file: magic bytes missing`);
    await expect(footerOf('truncated.parquet')).rejects.toMatchObject({ kind: 'corrupt', code: 'SNAPSHOT_CORRUPT' });

    const huge = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100), Buffer.from([0x00, 0x00, 0x10, 0x00]), Buffer.from('PAR1')]);
    await writeFile(file('huge-footer.parquet'), huge);
    await expect(footerOf('huge-footer.parquet')).rejects.toThrow(`footer length ${0x100000} exceeds file size ${huge.length}`);

    await writeFile(file('tiny.parquet'), 'PAR1');
    await expect(footerOf('tiny.parquet')).rejects.toThrow('only 4 bytes');

    const junk = Buffer.concat([Buffer.from('PAR1'), Buffer.from([0xff, 0xee, 0xdd, 0x17, 0x29, 0x99]), Buffer.from([6, 0, 0, 0]), Buffer.from('PAR1')]);
    await writeFile(file('junk.parquet'), junk);
    await expect(footerOf('junk.parquet')).rejects.toThrow(/junk\.parquet: corrupt Parquet footer/);

    await writeParquet(file('small.parquet'), 'SELECT 1 AS a');
    const noHead = await readFile(file('small.parquet'));
    noHead.write('XXXX', 0);
    await writeFile(file('no-head.parquet'), noHead);
    await expect(footerOf('no-head.parquet')).rejects.toThrow('magic bytes missing at the start');
  });

  it('merges statistics of several files with typed comparisons', () => {
    const base = { parquetPath: 'x', physicalType: 'INT64', type: 'X', values: 1, compressedBytes: 1, uncompressedBytes: 1, complete: true, exact: true, nullCount: 1 };
    const col = (valueType: ColumnStats['valueType'], min: string | number, max: string | number): ColumnStats => ({ ...base, path: 'x', valueType, min, max });
    expect(mergeColumnStats(col('decimal', '9.50', '10.00'), col('decimal', '-1.25', '100.00'))).toMatchObject({ min: '-1.25', max: '100.00', nullCount: 2, values: 2 });
    expect(mergeColumnStats(col('integer', 9, '9007199254740993'), col('integer', 10, 11))).toMatchObject({ min: 9, max: '9007199254740993' });
    expect(compareStatValues('timestamp', '2026-10-01T00:00:00.5Z', '2026-10-01T00:00:00.499999Z')).toBeGreaterThan(0);
    expect(compareStatValues('string', '\u{1F600}', '\uFFFF')).toBeGreaterThan(0);
  });
});

/** Our value as DuckDB's text. */
function show(c: ColumnStats, v: ColumnStats['min']): string | null {
  if (v === null) return null;
  return String(v);
}

/** DuckDB's text in our format. */
function norm(c: ColumnStats, s: string | null): string | null {
  if (s === null) return null;
  if (c.valueType === 'timestamp') return duckToIso(s, String(c.min).split('.')[1]?.replace('Z', '').length ?? 6);
  if (c.valueType === 'float') return String(Number(s));
  return s;
}
