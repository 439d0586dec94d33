// Replays a capture file through the same path as a live tail: records by partition and offset.
import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ApiError } from '../../../../shared/api/errors';
import { connect, sqlString } from '../../sql/duckdb';
import type { PartitionBatch, RecordSource, SourceRecord, Watermarks } from '../sources/record-source';

/** Records per partition per read: small enough to keep a replay responsive, big enough to be fast. */
const READ_CHUNK = 5000;

function bytesOf(v: unknown): Buffer | null {
  const b = (v as { bytes?: Uint8Array } | null)?.bytes;
  return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : null;
}

/** Headers as encoded by the read query: key \x01 base64 value (or ~ for null), joined by \x02. */
function headersOf(text: string | null): SourceRecord['headers'] {
  if (!text) return [];
  return text.split('\x02').map((h) => {
    const [key, value] = h.split('\x01') as [string, string];
    return { key, value: value === '~' ? null : Buffer.from(value, 'base64') };
  });
}

export class CaptureSource implements RecordSource {
  readonly live = false;
  private marks: Promise<Map<number, Watermarks>> | null = null;
  private constructor(
    readonly address: string,
    readonly topic: string,
    private readonly c: DuckDBConnection,
    private readonly from: string,
  ) {}

  /** Opens and checks a capture file; a missing or corrupt file is a clear error naming it. */
  static async open(file: string): Promise<CaptureSource> {
    if (!(await stat(file).catch(() => null))) throw new ApiError('NOT_FOUND', `Capture file not found: ${file}`, { file });
    const c = await connect();
    const from = `read_parquet(${sqlString(file)})`;
    try {
      const rows = (await c.runAndReadAll(`SELECT any_value(topic), count(*) FROM ${from}`)).getRows();
      const topic = String(rows[0]?.[0] ?? '');
      return new CaptureSource(file, topic, c, from);
    } catch (e) {
      c.closeSync();
      throw new ApiError('SNAPSHOT_CORRUPT', `Capture file ${file} cannot be read as a capture (Parquet with topic, partition, offset, timestamp, key, value, headers): ${(e as Error).message.split('\n')[0]}`, { file });
    }
  }

  async partitions(): Promise<number[]> {
    const rows = (await this.c.runAndReadAll(`SELECT DISTINCT "partition" FROM ${this.from} ORDER BY 1`)).getRows();
    return rows.map((r) => Number(r[0]));
  }

  async watermarks(partitions: number[]): Promise<Map<number, Watermarks>> {
    // A capture does not change while it is open: its offsets are read once.
    this.marks ??= this.c.runAndReadAll(`SELECT "partition", min("offset"), max("offset") + 1 FROM ${this.from} GROUP BY 1`).then(
      (r) => new Map(r.getRows().map((row) => [Number(row[0]), { low: Number(row[1]), high: Number(row[2]) }])),
    );
    const found = await this.marks;
    return new Map(partitions.map((p) => [p, found.get(p) ?? { low: 0, high: 0 }]));
  }

  async offsetsForTime(partitions: number[], at: number): Promise<Map<number, number>> {
    const marks = await this.watermarks(partitions);
    const rows = (await this.c.runAndReadAll(`SELECT "partition", min("offset") FROM ${this.from} WHERE epoch_ms("timestamp") >= ${Math.trunc(at)} GROUP BY 1`)).getRows();
    const found = new Map(rows.map((r) => [Number(r[0]), Number(r[1])]));
    return new Map(partitions.map((p) => [p, found.get(p) ?? marks.get(p)!.high]));
  }

  async read(positions: Map<number, number>): Promise<PartitionBatch[]> {
    const marks = await this.watermarks([...positions.keys()]);
    const batches: PartitionBatch[] = [];
    for (const [partition, next] of positions) {
      const mark = marks.get(partition)!;
      if (next >= mark.high) continue;
      // Rows are taken straight from DuckDB's vectors, and each record's headers arrive as one
      // string: converting DuckDB's nested LIST/STRUCT values in JavaScript costs ten times more.
      const result = await this.c.stream(
        `SELECT "offset", epoch_ms("timestamp"), "key", "value",
                array_to_string(list_transform(headers, h -> replace(h."key", chr(1), '') || chr(1) || coalesce(to_base64(h."value"), '~')), chr(2))
         FROM ${this.from} WHERE "partition" = ${partition} AND "offset" >= ${next} ORDER BY "offset" LIMIT ${READ_CHUNK}`,
      );
      const records: SourceRecord[] = [];
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const [offsets, times, keys, values, headers] = [0, 1, 2, 3, 4].map((i) => chunk.getColumnVector(i));
        for (let i = 0; i < chunk.rowCount; i++) {
          records.push({
            offset: Number(offsets!.getItem(i)),
            timestamp: Number(times!.getItem(i)),
            key: bytesOf(keys!.getItem(i)),
            value: bytesOf(values!.getItem(i)),
            headers: headersOf(headers!.getItem(i) as string | null),
          });
        }
      }
      batches.push({ partition, records, high: mark.high, low: mark.low });
    }
    return batches;
  }

  /** Earliest and latest record time (epoch ms). */
  async timeSpan(): Promise<{ first: number | null; last: number | null }> {
    const [row] = (await this.c.runAndReadAll(`SELECT epoch_ms(min("timestamp")), epoch_ms(max("timestamp")) FROM ${this.from}`)).getRows();
    return { first: row?.[0] == null ? null : Number(row[0]), last: row?.[1] == null ? null : Number(row[1]) };
  }

  async close(): Promise<void> {
    this.c.closeSync();
  }
}
