// Protocol primitives: varints (LEB128 + zig-zag), compact/nullable strings, arrays, tagged
// fields, int64 as numbers; and decoding of hand-built Fetch/ApiVersions answers.
import { describe, expect, it } from 'vitest';
import { Reader } from '../../../../../../electron/services/streams/kafka/protocol/decoder';
import { Writer } from '../../../../../../electron/services/streams/kafka/protocol/encoder';
import {
  ApiKey,
  decodeApiVersions,
  decodeFetch,
  decodeMetadata,
  encodeFetch,
  encodeMetadata,
} from '../../../../../../electron/services/streams/kafka/protocol/requests';
import {
  VarintError,
  cursor,
  readUVarint,
  readVarint,
  unzigzag,
  uvarintSize,
  zigzag,
} from '../../../../../../electron/services/streams/kafka/protocol/varint';

describe('varints', () => {
  const unsigned = [0, 1, 127, 128, 255, 300, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 31, 2 ** 32 + 5, 2 ** 40, Number.MAX_SAFE_INTEGER];
  it('unsigned LEB128 round-trips, with the known byte forms', () => {
    for (const v of unsigned) {
      const b = new Writer().uvarint(v).finish();
      expect(b.length).toBe(uvarintSize(v));
      expect(readUVarint(b, 0)).toBe(v);
      expect(cursor.pos).toBe(b.length);
    }
    expect([...new Writer().uvarint(300).finish()]).toEqual([0xac, 0x02]);
    expect([...new Writer().uvarint(127).finish()]).toEqual([0x7f]);
  });

  const signed = [0, -1, 1, -2, 2, 63, -64, 64, -65, 4095, -4096, 8191, -8192, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 40, -(2 ** 40), 2 ** 52, -(2 ** 52)];
  it('zig-zag maps signed to unsigned (0,-1,1,-2 -> 0,1,2,3) and back', () => {
    expect([0, -1, 1, -2, 2].map(zigzag)).toEqual([0, 1, 2, 3, 4]);
    for (const v of signed) expect(unzigzag(zigzag(v))).toBe(v);
  });

  it('signed varints round-trip through the writer and the record reader, at any position', () => {
    const w = new Writer();
    w.int8(7); // misalign on purpose
    for (const v of signed) w.varint(v);
    const b = w.finish();
    let pos = 1;
    for (const v of signed) {
      expect(readVarint(b, pos)).toBe(v);
      pos = cursor.pos;
    }
    expect(pos).toBe(b.length);
    // known encodings from the Kafka docs: -1 -> 0x01, 1 -> 0x02, -64 -> 0x7f, 64 -> 0x80 0x01
    expect([...new Writer().varint(-1).finish()]).toEqual([0x01]);
    expect([...new Writer().varint(64).finish()]).toEqual([0x80, 0x01]);
  });

  it('rejects varints that run off the end or are longer than 10 bytes', () => {
    expect(() => readUVarint(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80]), 0)).toThrow(VarintError);
    expect(() => readUVarint(Buffer.alloc(11, 0xff), 0)).toThrow(/more than 10 bytes/);
  });
});

describe('Writer / Reader', () => {
  it('classic (non-flexible) strings, bytes, arrays, nulls and int64 as numbers', () => {
    const w = new Writer(false);
    w.string('héllo').string(null).bytes(Buffer.from([1, 2, 3])).bytes(null).array([5, 6], (w, x) => w.int32(x)).arrayLength(null);
    w.int64(2 ** 53 - 1).int64(-1).int64(1234567890123n).int16(-2).bool(true).uuid(null);
    const r = new Reader(w.finish());
    expect(r.string()).toBe('héllo');
    expect(r.nullableString()).toBeNull();
    expect([...r.bytes()!]).toEqual([1, 2, 3]);
    expect(r.bytes()).toBeNull();
    expect(r.int32Array()).toEqual([5, 6]);
    expect(r.arrayLength()).toBe(-1);
    expect(r.int64()).toBe(2 ** 53 - 1);
    expect(r.int64()).toBe(-1);
    expect(r.int64()).toBe(1234567890123);
    expect(r.int16()).toBe(-2);
    expect(r.bool()).toBe(true);
    expect([...r.uuid()]).toEqual(new Array(16).fill(0));
    expect(r.remaining).toBe(0);
  });

  it('flexible versions: compact lengths (n+1), null as 0, tagged fields skipped or read', () => {
    const w = new Writer(true);
    w.string('ab').string(null).bytes(Buffer.from('xyz')).array(['q'], (w, s) => w.string(s));
    // a tagged-field section with two tags: tag 0 (4 bytes) and tag 7 (2 bytes)
    w.uvarint(2).uvarint(0).uvarint(4).int32(42).uvarint(7).uvarint(2).int16(9);
    w.int8(99);
    const b = w.finish();
    expect([...b.subarray(0, 3)]).toEqual([3, 0x61, 0x62]); // compact string: length+1
    const r = new Reader(b, 0, true);
    expect(r.string()).toBe('ab');
    expect(r.nullableString()).toBeNull();
    expect(r.bytes()!.toString()).toBe('xyz');
    expect(r.array((r) => r.string())).toEqual(['q']);
    const seen: number[] = [];
    r.tags((tag, size, r) => {
      seen.push(tag, size);
      if (tag === 0) expect(r.int32()).toBe(42);
    });
    expect(seen).toEqual([0, 4, 7, 2]);
    expect(r.int8()).toBe(99);
  });

  it('the request header client id stays a classic string in flexible requests', () => {
    const w = new Writer(true).legacyString('dpx').string('dpx');
    expect([...w.finish()]).toEqual([0, 3, 0x64, 0x70, 0x78, 4, 0x64, 0x70, 0x78]);
  });

  it('refuses to read past the end', () => {
    expect(() => new Reader(Buffer.from([0, 5, 0x61])).string()).toThrow(/truncated/);
  });
});

describe('requests', () => {
  it('ApiVersions: a v3 answer, and the v0 body a broker sends for a version it does not know', () => {
    const w = new Writer(true);
    w.int16(0).arrayLength(2);
    w.int16(ApiKey.Fetch).int16(4).int16(17).tags();
    w.int16(ApiKey.Metadata).int16(4).int16(13).tags();
    w.int32(0).tags();
    const res = decodeApiVersions(new Reader(w.finish(), 0, true), 3);
    expect(res.errorCode).toBe(0);
    expect(res.apis.get(ApiKey.Fetch)).toEqual([4, 17]);
    expect(res.apis.get(ApiKey.Metadata)).toEqual([4, 13]);

    const v0 = new Writer(false).int16(35).int32(1).int16(ApiKey.ApiVersions).int16(0).int16(2).finish();
    const old = decodeApiVersions(new Reader(v0, 0, true), 3);
    expect(old.errorCode).toBe(35);
    expect(old.apis.get(ApiKey.ApiVersions)).toEqual([0, 2]);
  });

  it('Metadata: never asks for auto-creation; v12 answer decoded', () => {
    for (const v of [4, 8, 9, 12]) {
      const w = new Writer(v >= 9);
      encodeMetadata(w, v, ['t']);
      const b = w.finish();
      // the byte after the topic list is allow_auto_topic_creation = false
      const listLen = v >= 9 ? 1 : 4;
      const idLen = v >= 10 ? 16 : 0;
      const nameLen = v >= 9 ? 2 : 3;
      const tags = v >= 9 ? 1 : 0;
      expect(b[listLen + idLen + nameLen + tags]).toBe(0);
    }
    const w = new Writer(true);
    w.int32(0);
    w.arrayLength(1).int32(1).string('127.0.0.1').int32(9092).string(null).tags();
    w.string('cluster').int32(1);
    w.arrayLength(1).int16(0).string('t').uuid(Buffer.alloc(16, 7)).bool(false);
    w.arrayLength(1).int16(0).int32(0).int32(1).int32(5).array([1], (w, x) => w.int32(x)).array([1], (w, x) => w.int32(x)).array([], (w, x: number) => w.int32(x)).tags();
    w.int32(0).tags().tags();
    const m = decodeMetadata(new Reader(w.finish(), 0, true), 12);
    expect(m.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }]);
    expect(m.topics[0]!.name).toBe('t');
    expect(m.topics[0]!.topicId!.equals(Buffer.alloc(16, 7))).toBe(true);
    expect(m.topics[0]!.partitions[0]).toMatchObject({ partition: 0, leader: 1, leaderEpoch: 5 });
  });

  it('Fetch v12 answer: aborted transactions, records range, CurrentLeader tag', () => {
    const w = new Writer(true);
    w.int32(0).int16(0).int32(0);
    w.arrayLength(1).string('t');
    w.arrayLength(1);
    w.int32(2).int16(6).int64(100).int64(90).int64(3);
    w.arrayLength(1).int64(77).int64(50).tags();
    w.int32(-1);
    w.bytes(Buffer.from([9, 9, 9]));
    w.uvarint(1).uvarint(1).uvarint(9).int32(4).int32(12).uvarint(0); // tag 1: CurrentLeader {4, 12}
    w.tags().tags();
    const b = w.finish();
    const res = decodeFetch(new Reader(b, 0, true), 12);
    const p = res.topics[0]!.partitions[0]!;
    expect(p).toMatchObject({ partition: 2, errorCode: 6, highWatermark: 100, lastStableOffset: 90, logStartOffset: 3, currentLeader: 4 });
    expect(p.aborted).toEqual([{ producerId: 77, firstOffset: 50 }]);
    expect([...b.subarray(p.recordsStart, p.recordsEnd)]).toEqual([9, 9, 9]);
  });

  it('Fetch requests: topic name up to v12, topic id from v13, no replica id from v15', () => {
    const req = {
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1000,
      isolation: 'read_committed' as const,
      topic: 'topic',
      topicId: Buffer.alloc(16, 1),
      partitions: [{ partition: 0, offset: 5, maxBytes: 100, leaderEpoch: -1 }],
    };
    const size = (v: number): number => {
      const w = new Writer(v >= 12);
      encodeFetch(w, v, req);
      return w.length;
    };
    // v4: replica, wait, min, max, iso (17) + topics(4) + name(2+5) + parts(4) + (part 4, offset 8, max 4)
    expect(size(4)).toBe(17 + 4 + 7 + 4 + 16);
    expect(size(5)).toBe(size(4) + 8); // + log start offset
    expect(size(7)).toBe(size(5) + 8 + 4); // + session id/epoch + forgotten topics
    expect(size(9)).toBe(size(7) + 4); // + current leader epoch
    expect(size(11)).toBe(size(9) + 2); // + rack id ''
    expect(size(13) - size(12)).toBe(16 - 6); // uuid instead of compact 'topic'
    expect(size(15)).toBe(size(14) - 4); // replica id gone
    expect(size(17)).toBe(size(15));
  });
});
