// Runs of a read: undecoded batches when their header tells every offset and they end before the
// stop offset, decoded records otherwise; cutting a run keeps offsets exact.
import { describe, expect, it } from 'vitest';
import { decodeRecordBatches, type RecordBatch } from '../../../../../electron/services/streams/kafka/records';
import { runEnd, runLength, runsOf, splitRun, type RecordRun } from '../../../../../electron/services/streams/runs';
import type { PartitionBatch } from '../../../../../electron/services/streams/sources/record-source';
import { batch, type TestRecord } from './kafka/batch-bytes';

const recs = (deltas: number[]): TestRecord[] => deltas.map((d) => ({ offsetDelta: d, key: null, value: `v${d}` }));

function read(buf: Buffer, from: number): PartitionBatch {
  const batches: RecordBatch[] = [];
  decodeRecordBatches(buf, 0, buf.length, from, null, [], batches);
  return { partition: 2, records: [], batches, high: 1000, low: 0 };
}

const shape = (r: RecordRun) => ('records' in r ? { records: r.records.map((x) => x.offset) } : { first: r.first, count: r.count });

describe('runsOf', () => {
  const buf = Buffer.concat([
    batch({ baseOffset: 10, records: recs([0, 1, 2, 3]) }),
    // compacted: offsets 14 and 17 only
    batch({ baseOffset: 14, lastOffsetDelta: 3, records: recs([0, 3]) }),
    batch({ baseOffset: 18, records: recs([0, 1, 2]) }),
  ]);

  it('keeps dense batches undecoded from the asked offset, decodes the rest', () => {
    expect(runsOf(read(buf, 12), Infinity).map(shape)).toEqual([{ first: 12, count: 2 }, { records: [14, 17] }, { first: 18, count: 3 }]);
  });

  it('decodes a batch that reaches the stop offset, so that it can be cut record by record', () => {
    expect(runsOf(read(buf, 10), 19).map(shape)).toEqual([{ first: 10, count: 4 }, { records: [14, 17] }, { records: [18, 19, 20] }]);
  });

  it('passes records through as one run', () => {
    const records = [{ offset: 5, timestamp: 0, key: null, value: null, headers: [] }];
    expect(runsOf({ partition: 0, records, high: 6, low: 0 }, Infinity).map(shape)).toEqual([{ records: [5] }]);
  });
});

describe('splitRun', () => {
  it('cuts batch runs and record runs with exact offsets', () => {
    const [dense, compacted] = runsOf(read(Buffer.concat([batch({ baseOffset: 0, records: recs([0, 1, 2, 3, 4]) }), batch({ baseOffset: 5, lastOffsetDelta: 4, records: recs([0, 2, 4]) })]), 1), Infinity);
    const [a, b] = splitRun(dense!, 3);
    expect([shape(a), shape(b), runEnd(a), runEnd(b), runLength(b)]).toEqual([{ first: 1, count: 3 }, { first: 4, count: 1 }, 4, 5, 1]);
    const [c, d] = splitRun(compacted!, 2);
    expect([shape(c), shape(d), runEnd(c), runEnd(d)]).toEqual([{ records: [5, 7] }, { records: [9] }, 8, 10]);
  });
});
