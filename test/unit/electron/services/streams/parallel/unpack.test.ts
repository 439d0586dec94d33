// Undecoded record batches in a chunk (ChunkBuilder.addBatch, then unpackBatches where the chunk
// is processed) must print exactly what the same records decoded one by one (ChunkBuilder.add)
// print: skipped leading records, cut batches, headers, null keys and values, compressed batches,
// and batches mixed with decoded records in one chunk.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RecordDecodeError, decodeRecordBatches, recordsOf, type RecordBatch } from '../../../../../../electron/services/streams/kafka/records';
import { FramePool, type FrameRoom } from '../../../../../../electron/services/streams/kafka/frame-pool';
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

/** The output of a chunk, for json and text; `inFrame`: built in that shared memory when `room` has space there. */
function print(fill: (b: ChunkBuilder) => void, inFrame?: { frame: SharedArrayBuffer; room: FrameRoom; where?: (data: Uint8Array) => void }): string[] {
  return (['json', 'text'] as const).map((output) => {
    const b = new ChunkBuilder(4, undefined, inFrame?.frame ?? null);
    fill(b);
    const chunk = b.build(Buffer.allocUnsafeSlow, inFrame?.room);
    inFrame?.where?.(chunk.data);
    const result = lineProcessor(compileSpec({ output, format: 'auto', properties: null, filter: null }))(chunk);
    return Buffer.from(result.out).toString('utf8');
  });
}

/** A fetch answer as it arrives: in a frame of shared memory with room after it (see FramePool). */
function answer(bytes: Buffer, pool = new FramePool()): Buffer {
  const frame = pool.take(bytes.length, true);
  bytes.copy(frame);
  return frame;
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

  it('print the same when built where they arrived (in the answer\'s room), or copied when it has none', () => {
    const plain = frame.subarray(0, frame.length);
    const raw = batchesOf(plain, 104).filter((x) => x.buf === plain); // the gzip batch decompresses elsewhere
    const expected = print((b) => {
      for (const x of raw) b.addBatch(3, x, x.first, x.lastOffset + 1 - x.first);
    });
    const pool = new FramePool();
    const arrived = answer(frame, pool);
    const inFrame = batchesOf(arrived, 104).filter((x) => x.buf === arrived);
    const fill = (b: ChunkBuilder) => {
      for (const x of inFrame) b.addBatch(3, x, x.first, x.lastOffset + 1 - x.first);
    };
    const memory = arrived.buffer as SharedArrayBuffer;
    let places: ArrayBufferLike[] = [];
    const where = (data: Uint8Array) => places.push(data.buffer);
    expect(print(fill, { frame: memory, room: pool, where })).toEqual(expected);
    expect(places).toEqual([memory, memory]);
    places = [];
    expect(print(fill, { frame: memory, room: { carve: () => -1 }, where })).toEqual(expected);
    expect(places.every((p) => p !== memory)).toBe(true);
  });

  it('print the same in the answer\'s room when a line outgrows the room it was given', () => {
    // Keys of control characters print six bytes per byte: far more than the room a record gets.
    const big = (i: number): TestRecord => ({ offsetDelta: i, timestampDelta: i, key: '\u0001'.repeat(400), value: JSON.stringify({ i }), headers: [['h', '\u0002'.repeat(300)]] });
    const bytes = batch({ baseOffset: 0, baseTimestamp: T0, records: [0, 1, 2].map(big) });
    const plainBatches = batchesOf(bytes, 0);
    const expected = print((b) => {
      for (const r of recordsOf(plainBatches[0]!)) b.add(0, r);
    });
    const pool = new FramePool();
    const arrived = answer(bytes, pool);
    const [inFrame] = batchesOf(arrived, 0);
    const memory = arrived.buffer as SharedArrayBuffer;
    expect(print((b) => b.addBatch(0, inFrame!, 0, 3), { frame: memory, room: pool })).toEqual(expected);
    // Decoded records in the frame too (views of it), and a builder refuses a record from elsewhere.
    for (const room of [pool, { carve: () => -1 }]) {
      expect(print((b) => {
        for (const r of recordsOf(inFrame!)) b.add(0, r);
      }, { frame: memory, room })).toEqual(expected);
    }
    expect(() => new ChunkBuilder(1, undefined, memory).add(0, recordsOf(plainBatches[0]!)[0]!)).toThrow(/outside the frame/);
  });

  it('report a batch that holds fewer records than it claims', () => {
    const [one] = batchesOf(batch({ baseOffset: 0, records: records(3) }), 0);
    const b = new ChunkBuilder(4);
    b.addBatch(0, one!, 0, 4);
    expect(() => lineProcessor(compileSpec({ output: 'json', format: 'auto', properties: null, filter: null }))(b.build(Buffer.allocUnsafeSlow))).toThrow(RecordDecodeError);
  });
});
