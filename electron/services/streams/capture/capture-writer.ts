// Records what a tail reads into a capture file. Rows go into DuckDB as they arrive (it spills to
// disk when large) and the Parquet file is written on close, to a temporary name first so a
// capture that fails half-way never leaves a broken file behind.
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DuckDBAppender, DuckDBConnection, DuckDBListType } from '@duckdb/node-api';
import { connect, sqlString } from '../../sql/duckdb';
import type { SourceRecord } from '../sources/record-source';
import { CAPTURE_COLUMNS } from './capture-format';

// DuckDB's value helpers, loaded with DuckDB itself on first use (it takes ~0.5 s to load).
type Values = Pick<typeof import('@duckdb/node-api'), 'blobValue' | 'listValue' | 'structValue' | 'timestampTZValue'>;

export class CaptureWriter {
  private count = 0;
  private readonly headersType: DuckDBListType;
  private constructor(
    private readonly v: Values,
    private readonly file: string,
    private readonly topic: string,
    private readonly c: DuckDBConnection,
    private readonly table: string,
    private readonly appender: DuckDBAppender,
  ) {
    this.headersType = appender.columnType(6) as DuckDBListType;
  }

  static async create(file: string, topic: string): Promise<CaptureWriter> {
    const c = await connect();
    const table = `capture_${Date.now()}_${Math.floor(Math.random() * 1e9)}`;
    await c.run(`CREATE TEMP TABLE ${table} (${CAPTURE_COLUMNS})`);
    return new CaptureWriter((await import('../../sql/duckdb-api')).duckdb, file, topic, c, table, await c.createAppender(table, 'main', 'temp'));
  }

  get written(): number {
    return this.count;
  }

  append(partition: number, records: SourceRecord[]): void {
    const a = this.appender;
    const { blobValue, listValue, structValue, timestampTZValue } = this.v;
    for (const r of records) {
      a.appendVarchar(this.topic);
      a.appendInteger(partition);
      a.appendBigInt(BigInt(r.offset));
      a.appendTimestampTZ(timestampTZValue(BigInt(r.timestamp) * 1000n));
      if (r.key) a.appendBlob(r.key);
      else a.appendNull();
      if (r.value) a.appendBlob(r.value);
      else a.appendNull();
      // The column's own type, so an empty header list is still a list of (key, value) structs.
      a.appendList(listValue(r.headers.map((h) => structValue({ key: h.key, value: h.value ? blobValue(h.value) : null }))), this.headersType);
      a.endRow();
      this.count++;
    }
  }

  /** Writes the Parquet file (ordered by partition and offset) and releases everything. */
  async close(): Promise<void> {
    const tmp = `${this.file}.partial`;
    try {
      this.appender.closeSync();
      await mkdir(dirname(this.file), { recursive: true });
      await this.c.run(`COPY (SELECT * FROM temp.${this.table} ORDER BY "partition", "offset") TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
      await rename(tmp, this.file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    } finally {
      await this.c.run(`DROP TABLE IF EXISTS temp.${this.table}`).catch(() => undefined);
      this.c.closeSync();
    }
  }
}
