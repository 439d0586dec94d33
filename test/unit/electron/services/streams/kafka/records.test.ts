// Record batch decoding from hand-built bytes (RecordBatch v2 and legacy message sets), including
// headers, null keys/values, control batches, aborted transactions and every codec.
import { gzipSync } from 'node:zlib';
import { compress as lz4Compress } from 'lz4js';
import { compress as snappyCompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { Writer } from '../../../../../../electron/services/streams/kafka/protocol/encoder';
import {
  RecordDecodeError,
  decodeRecordBatches,
  recordsOf,
  scanNextOffset,
} from '../../../../../../electron/services/streams/kafka/records';
import type { AbortedTransaction, KafkaRecord, RecordBatch } from '../../../../../../electron/services/streams/kafka/records';
import { batch, marker, toBytes, type TestRecord } from './batch-bytes';

/** Decodes to records, and checks that undecoded batches (raw) hold the same records. */
function decode(buf: Buffer, from = 0, aborted: AbortedTransaction[] | null = null): { records: KafkaRecord[]; nextOffset: number } {
  const records: KafkaRecord[] = [];
  const { nextOffset } = decodeRecordBatches(buf, 0, buf.length, from, aborted, records);
  expect(scanNextOffset(buf, 0, buf.length, from)).toBe(nextOffset);
  const legacy: KafkaRecord[] = [];
  const raw: RecordBatch[] = [];
  expect(decodeRecordBatches(buf, 0, buf.length, from, aborted, legacy, raw).nextOffset).toBe(nextOffset);
  // Either batches or (with a legacy message set among them) records, never both.
  expect(raw.length === 0 || legacy.length === 0).toBe(true);
  expect([...raw.flatMap(recordsOf), ...legacy]).toEqual(records);
  return { records, nextOffset };
}

const str = (x: Buffer | null): string | null => (x === null ? null : x.toString('utf8'));
const summary = (rs: KafkaRecord[]) => rs.map((r) => ({ offset: r.offset, key: str(r.key), value: str(r.value) }));

describe('RecordBatch v2', () => {
  it('decodes offsets, timestamps, keys, values and headers', () => {
    const buf = batch({
      baseOffset: 1000,
      baseTimestamp: 1_700_000_000_000,
      records: [
        { offsetDelta: 0, timestampDelta: 0, key: 'k0', value: '{"a":1}', headers: [['trace', 'abc'], ['empty', ''], ['nil', null]] },
        { offsetDelta: 1, timestampDelta: 250, key: null, value: 'no key' },
        { offsetDelta: 2, timestampDelta: -5, key: 'tombstone', value: null },
        { offsetDelta: 3, timestampDelta: 70_000, key: '', value: '' },
      ],
    });
    const { records, nextOffset } = decode(buf);
    expect(nextOffset).toBe(1004);
    expect(records.map((r) => r.offset)).toEqual([1000, 1001, 1002, 1003]);
    expect(records.map((r) => r.timestamp)).toEqual([1_700_000_000_000, 1_700_000_000_250, 1_699_999_999_995, 1_700_000_070_000]);
    expect(summary(records)).toEqual([
      { offset: 1000, key: 'k0', value: '{"a":1}' },
      { offset: 1001, key: null, value: 'no key' },
      { offset: 1002, key: 'tombstone', value: null },
      { offset: 1003, key: '', value: '' },
    ]);
    const h = records[0]!.headers;
    expect(h.map((x) => [x.key, str(x.value)])).toEqual([
      ['trace', 'abc'],
      ['empty', ''],
      ['nil', null],
    ]);
    expect(records[1]!.headers).toEqual([]);
    expect(Buffer.isBuffer(records[0]!.value)).toBe(true);
  });

  it('returns zero-copy views of the response buffer', () => {
    const buf = batch({ baseOffset: 0, records: [{ offsetDelta: 0, key: 'k', value: 'value-bytes' }] });
    const { records } = decode(buf);
    const v = records[0]!.value!;
    expect(v.buffer).toBe(buf.buffer);
    buf[buf.indexOf('value-bytes')] = 0x56; // 'V'
    expect(v.toString()).toBe('Value-bytes');
  });

  it('handles large values (multi-byte varint lengths) and big offsets/timestamps', () => {
    const big = Buffer.alloc(70_000, 0x61);
    const base = 2 ** 40 + 7;
    const buf = batch({ baseOffset: base, baseTimestamp: 4_102_444_800_000, records: [{ offsetDelta: 0, key: 'x', value: big }, { offsetDelta: 1, key: 'y', value: 'z' }] });
    const { records, nextOffset } = decode(buf);
    expect(records[0]!.value!.length).toBe(70_000);
    expect(records[0]!.offset).toBe(base);
    expect(records[0]!.timestamp).toBe(4_102_444_800_000);
    expect(nextOffset).toBe(base + 2);
  });

  it('drops records before the asked offset (the broker answers from the start of the batch)', () => {
    const buf = batch({ baseOffset: 10, records: [0, 1, 2, 3].map((d) => ({ offsetDelta: d, key: null, value: `v${d}` })) });
    const { records, nextOffset } = decode(buf, 12);
    expect(records.map((r) => r.offset)).toEqual([12, 13]);
    expect(nextOffset).toBe(14);
  });

  it('keeps offset gaps (compaction) and moves past a batch whose last records were removed', () => {
    const buf = batch({ baseOffset: 0, lastOffsetDelta: 9, records: [{ offsetDelta: 0, key: 'a', value: '1' }, { offsetDelta: 4, key: 'b', value: '2' }] });
    const { records, nextOffset } = decode(buf);
    expect(records.map((r) => r.offset)).toEqual([0, 4]);
    expect(nextOffset).toBe(10);
  });

  it('ignores a partial batch at the end of the response', () => {
    const one = batch({ baseOffset: 0, records: [{ offsetDelta: 0, key: null, value: 'a' }] });
    const two = batch({ baseOffset: 1, records: [{ offsetDelta: 0, key: null, value: 'b' }] });
    const buf = Buffer.concat([one, two.subarray(0, two.length - 3)]);
    const { records, nextOffset } = decode(buf);
    expect(summary(records)).toEqual([{ offset: 0, key: null, value: 'a' }]);
    expect(nextOffset).toBe(1);
    // only a fragment: nothing, and the position stays
    expect(decode(two.subarray(0, 20), 1)).toEqual({ records: [], nextOffset: 1 });
  });

  it('uses the batch max timestamp for LogAppendTime topics', () => {
    const buf = batch({ baseOffset: 0, baseTimestamp: 1000, maxTimestamp: 5000, logAppendTime: true, records: [{ offsetDelta: 0, timestampDelta: 1, key: null, value: 'a' }] });
    expect(decode(buf).records[0]!.timestamp).toBe(5000);
  });

  it('skips control batches (transaction markers) but moves past them', () => {
    const buf = Buffer.concat([
      batch({ baseOffset: 0, transactional: true, producerId: 5, records: [{ offsetDelta: 0, key: null, value: 'in-tx' }] }),
      marker(1, 5, true),
    ]);
    for (const aborted of [null, []]) {
      const { records, nextOffset } = decode(buf, 0, aborted);
      expect(summary(records)).toEqual([{ offset: 0, key: null, value: 'in-tx' }]);
      expect(nextOffset).toBe(2);
    }
    // nothing but a marker: no records, yet the position moves on (else a tail would loop forever)
    expect(decode(marker(7, 5, false), 7)).toEqual({ records: [], nextOffset: 8 });
  });

  it('read_committed: drops aborted transactions, keeps committed ones and plain records', () => {
    const buf = Buffer.concat([
      batch({ baseOffset: 0, records: [{ offsetDelta: 0, key: null, value: 'plain-0' }] }),
      batch({ baseOffset: 1, transactional: true, producerId: 7, records: [{ offsetDelta: 0, key: null, value: 'aborted-1' }, { offsetDelta: 1, key: null, value: 'aborted-2' }] }),
      batch({ baseOffset: 3, transactional: true, producerId: 8, records: [{ offsetDelta: 0, key: null, value: 'committed-3' }] }),
      marker(4, 7, false),
      marker(5, 8, true),
      // producer 7 again, in a new (committed) transaction after its abort marker
      batch({ baseOffset: 6, transactional: true, producerId: 7, records: [{ offsetDelta: 0, key: null, value: 'committed-6' }] }),
      marker(7, 7, true),
      batch({ baseOffset: 8, records: [{ offsetDelta: 0, key: null, value: 'plain-8' }] }),
    ]);
    const { records, nextOffset } = decode(buf, 0, [{ producerId: 7, firstOffset: 1 }]);
    expect(records.map((r) => str(r.value))).toEqual(['plain-0', 'committed-3', 'committed-6', 'plain-8']);
    expect(nextOffset).toBe(9);
    // read_uncommitted (no aborted list): everything but the markers
    expect(decode(buf, 0, null).records.map((r) => str(r.value))).toEqual(['plain-0', 'aborted-1', 'aborted-2', 'committed-3', 'committed-6', 'plain-8']);
  });

  it('throws RecordDecodeError on a corrupt record', () => {
    const buf = batch({ baseOffset: 0, records: [{ offsetDelta: 0, key: 'k', value: 'v' }] });
    buf[61] = 0x7e; // record length 63: runs past the batch
    expect(() => decode(buf)).toThrow(RecordDecodeError);
  });
});

describe('compressed batches', () => {
  const records: TestRecord[] = Array.from({ length: 50 }, (_, i) => ({
    offsetDelta: i,
    timestampDelta: i * 10,
    key: `key-${i % 5}`,
    value: JSON.stringify({ i, text: 'lorem ipsum dolor sit amet '.repeat(3) }),
    headers: i % 7 === 0 ? [['h', `x${i}`]] : [],
  }));
  const plain = decode(batch({ baseOffset: 100, records })).records;

  const xerial = (data: Buffer): Buffer => {
    // Java's snappy framing: magic, version 1, compatible 1, then [int32 length, raw block] per 32 KiB
    const parts: Buffer[] = [Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1])];
    for (let i = 0; i < data.length; i += 1024) {
      const block = snappyCompress(data.subarray(i, i + 1024));
      parts.push(new Writer().int32(block.length).finish(), block);
    }
    return Buffer.concat(parts);
  };

  const codecs: Array<[string, { id: number; compress: (b: Buffer) => Buffer }]> = [
    ['gzip', { id: 1, compress: (x) => gzipSync(x) }],
    ['snappy (raw, librdkafka)', { id: 2, compress: (x) => snappyCompress(x) }],
    ['snappy (xerial framing, Java)', { id: 2, compress: xerial }],
    ['lz4 (frame)', { id: 3, compress: (x) => Buffer.from(lz4Compress(x)) }],
  ];
  for (const [name, codec] of codecs) {
    it(`${name} decodes to the same records as uncompressed`, () => {
      const buf = batch({ baseOffset: 100, records, codec });
      const got = decode(buf, 120);
      expect(got.nextOffset).toBe(150);
      expect(got.records.map((r) => [r.offset, r.timestamp, str(r.key), str(r.value), r.headers.map((h) => [h.key, str(h.value)])])).toEqual(
        plain.slice(20).map((r) => [r.offset, r.timestamp, str(r.key), str(r.value), r.headers.map((h) => [h.key, str(h.value)])]),
      );
    });
  }

  it('reports a broken compressed batch with its codec and offset', () => {
    const buf = batch({ baseOffset: 5, records, codec: { id: 1, compress: (x) => gzipSync(x).subarray(0, 20) } });
    expect(() => decode(buf)).toThrow(/gzip batch at offset 5/);
  });
});

describe('legacy message sets (magic 0/1)', () => {
  function message(offset: number, magic: 0 | 1, key: string | null, value: Buffer | string | null, opts: { timestamp?: number; codec?: number } = {}): Buffer {
    const body = new Writer().int8(magic).int8(opts.codec ?? 0);
    if (magic === 1) body.int64(opts.timestamp ?? 0);
    body.bytes(key === null ? null : Buffer.from(key));
    body.bytes(toBytes(value));
    const m = body.finish();
    return new Writer().int64(offset).int32(4 + m.length).uint32(0).raw(m).finish();
  }

  it('magic 1, uncompressed and in a gzip wrapper with relative offsets', () => {
    const inner = Buffer.concat([message(0, 1, 'a', 'one', { timestamp: 11 }), message(1, 1, 'b', 'two', { timestamp: 12 }), message(2, 1, null, null, { timestamp: 13 })]);
    const buf = Buffer.concat([message(9, 1, 'x', 'before', { timestamp: 10 }), message(12, 1, null, gzipSync(inner), { timestamp: 13, codec: 1 })]);
    const { records, nextOffset } = decode(buf, 10);
    expect(records.map((r) => [r.offset, r.timestamp, str(r.key), str(r.value)])).toEqual([
      [10, 11, 'a', 'one'],
      [11, 12, 'b', 'two'],
      [12, 13, null, null],
    ]);
    expect(nextOffset).toBe(13);
  });

  it('magic 0: no timestamps (-1), absolute inner offsets', () => {
    const inner = Buffer.concat([message(3, 0, 'k', 'v3'), message(4, 0, 'k', 'v4')]);
    const { records } = decode(message(4, 0, null, gzipSync(inner), { codec: 1 }));
    expect(records.map((r) => [r.offset, r.timestamp, str(r.value)])).toEqual([
      [3, -1, 'v3'],
      [4, -1, 'v4'],
    ]);
  });
});
