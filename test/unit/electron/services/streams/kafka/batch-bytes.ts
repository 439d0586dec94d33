// Record batches (v2) built byte by byte, for tests of what reads them.
import { Writer } from '../../../../../../electron/services/streams/kafka/protocol/encoder';

export interface TestRecord {
  offsetDelta: number;
  timestampDelta?: number;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Array<[string, Buffer | string | null]>;
}

export const toBytes = (x: Buffer | string | null): Buffer | null => (x === null ? null : Buffer.isBuffer(x) ? x : Buffer.from(x));

export function encodeRecord(r: TestRecord): Buffer {
  const body = new Writer();
  body.int8(0).varint(r.timestampDelta ?? 0).varint(r.offsetDelta);
  const key = toBytes(r.key);
  const value = toBytes(r.value);
  body.varint(key ? key.length : -1);
  if (key) body.raw(key);
  body.varint(value ? value.length : -1);
  if (value) body.raw(value);
  const headers = r.headers ?? [];
  body.varint(headers.length);
  for (const [k, v] of headers) {
    const kb = Buffer.from(k);
    body.varint(kb.length).raw(kb);
    const vb = toBytes(v);
    body.varint(vb ? vb.length : -1);
    if (vb) body.raw(vb);
  }
  const bytes = body.finish();
  return Buffer.concat([new Writer().varint(bytes.length).finish(), bytes]);
}

interface BatchOptions {
  baseOffset: number;
  baseTimestamp?: number;
  maxTimestamp?: number;
  records: TestRecord[];
  /** Applied to the encoded records; sets the codec bits. */
  codec?: { id: number; compress: (b: Buffer) => Buffer };
  transactional?: boolean;
  control?: boolean;
  logAppendTime?: boolean;
  producerId?: number;
  lastOffsetDelta?: number;
}

export function batch(o: BatchOptions): Buffer {
  let records: Buffer = Buffer.concat(o.records.map(encodeRecord));
  if (o.codec) records = o.codec.compress(records);
  const attributes =
    (o.codec?.id ?? 0) | (o.logAppendTime ? 0x08 : 0) | (o.transactional ? 0x10 : 0) | (o.control ? 0x20 : 0);
  const lastOffsetDelta = o.lastOffsetDelta ?? Math.max(0, ...o.records.map((r) => r.offsetDelta));
  const w = new Writer();
  w.int64(o.baseOffset).int32(49 + records.length).int32(0).int8(2).uint32(0).int16(attributes).int32(lastOffsetDelta);
  w.int64(o.baseTimestamp ?? 1_700_000_000_000).int64(o.maxTimestamp ?? o.baseTimestamp ?? 1_700_000_000_000);
  w.int64(o.producerId ?? -1).int16(0).int32(0).int32(o.records.length).raw(records);
  return w.finish();
}

/** A transaction marker: key (version 0, type 0 abort / 1 commit), value (version, coordinator epoch). */
export function marker(baseOffset: number, producerId: number, commit: boolean): Buffer {
  const key = new Writer().int16(0).int16(commit ? 1 : 0).finish();
  const value = new Writer().int16(0).int32(0).finish();
  return batch({ baseOffset, records: [{ offsetDelta: 0, key, value }], control: true, transactional: true, producerId });
}
