// Undecoded record batches in a chunk (ChunkBuilder.addBatch, then unpackBatches where the chunk
// is processed) must print exactly what the same records decoded one by one (ChunkBuilder.add)
// print: skipped leading records, cut batches, headers, null keys and values, compressed batches,
// and batches mixed with decoded records in one chunk.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RecordDecodeError, decodeRecordBatches, recordsOf, type RecordBatch } from '../../../../../../electron/services/streams/kafka/records';
import { ChunkBuilder } from '../../../../../../electron/services/streams/parallel/chunk';
import { compileSpec, lineProcessor } from '../../../../../../electron/services/streams/parallel/lines';
import { batch, type TestRecord } from '../kafka/batch-bytes';

const T0 = 1_790_000_000_000;

function records(n: number, from = 0): TestRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    offsetDelta: i,
    timestampDelta: i * 7,
    key: (from + i) % 5 === 0 ? null : `k-${from + i}`,
    value: (from + i) % 7 === 0 ? null : (from + i) % 3 === 0 ? `not json ${from + i}` : JSON.stringify({ id: from + i, name: `n${from + i}` }),
    headers: (from + i) % 4 === 0 ? [] : [['source', 'test'], ['tráce', (from + i) % 2 ? null : `t${from + i}`]],
  }));
}

function batchesOf(buf: Buffer, from: number): RecordBatch[] {
  const raw: RecordBatch[] = [];
  decodeRecordBatches(buf, 0, buf.length, from, null, [], raw);
  return raw;
}

/** The output of a chunk, for json and text. */
function print(fill: (b: ChunkBuilder) => void): string[] {
  return (['json', 'text'] as const).map((output) => {
    const b = new ChunkBuilder(4);
    fill(b);
    const result = lineProcessor(compileSpec({ output, format: 'auto', properties: null, filter: null }))(b.build(Buffer.allocUnsafeSlow));
    return Buffer.from(result.out).toString('utf8');
  });
}

describe('undecoded batches in a chunk', () => {
  const frame = Buffer.concat([
    batch({ baseOffset: 100, baseTimestamp: T0, records: records(20, 100) }),
    batch({ baseOffset: 120, baseTimestamp: T0 + 1000, records: records(15, 120), codec: { id: 1, compress: gzipSync } }),
    batch({ baseOffset: 135, baseTimestamp: T0 + 2000, logAppendTime: true, maxTimestamp: T0 + 5000, records: records(10, 135) }),
  ]);

  it('print what their records decoded one by one print', () => {
    const raw = batchesOf(frame, 104);
    expect(raw.map((b) => b.first)).toEqual([104, 120, 135]);
    const decoded = print((b) => {
      for (const x of raw) for (const r of recordsOf(x)) b.add(3, r);
    });
    const undecoded = print((b) => {
      for (const x of raw) b.addBatch(3, x, x.first, x.lastOffset + 1 - x.first);
    });
    expect(undecoded).toEqual(decoded);
    expect(decoded[0]!.split('\n').length - 1).toBe(41);
  });

  it('take a stretch of a batch, next to decoded records of other partitions', () => {
    const [first, second] = batchesOf(frame, 100);
    const expected = print((b) => {
      for (const r of recordsOf(first!).slice(5, 12)) b.add(1, r);
      for (const r of recordsOf(second!).slice(0, 3)) b.add(2, r);
      for (const r of recordsOf(first!).slice(12)) b.add(1, r);
    });
    const mixed = print((b) => {
      b.addBatch(1, first!, 105, 7);
      for (const r of recordsOf(second!).slice(0, 3)) b.add(2, r);
      b.addBatch(1, first!, 112, 8);
    });
    expect(mixed).toEqual(expected);
  });

  it('report a batch that holds fewer records than it claims', () => {
    const [one] = batchesOf(batch({ baseOffset: 0, records: records(3) }), 0);
    const b = new ChunkBuilder(4);
    b.addBatch(0, one!, 0, 4);
    expect(() => lineProcessor(compileSpec({ output: 'json', format: 'auto', properties: null, filter: null }))(b.build(Buffer.allocUnsafeSlow))).toThrow(RecordDecodeError);
  });
});
