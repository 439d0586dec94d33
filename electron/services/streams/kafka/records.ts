// Record batch decoding (magic 2, KIP-98) straight from the fetch response frame, plus the legacy
// message sets (magic 0/1) that old topics may still hold.
// https://kafka.apache.org/documentation/#recordbatch
//
// Hot path: one KafkaRecord object per record and zero-copy Buffer views for key and value
// (Buffer.from(arrayBuffer, offset, length): no copy, and ~2x cheaper than buf.subarray(), whose
// species lookup dominates at a million records). No closures or temporary objects per record.
// A record's key/value keep the whole response (or decompressed batch) alive: copy them
// (Buffer.from(value)) to hold a few records for long. Batches can also be handed on undecoded
// (RecordBatch), for a reader that walks their records elsewhere.
import { CODEC_NAMES, decompress } from './codecs';
import { cursor, readVarint } from './protocol/varint';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface KafkaRecord {
  /** Offsets are JS numbers: exact up to 2^53 (a partition at 1 M msg/s needs 285 years to get there). */
  offset: number;
  /** Epoch ms (CreateTime, or LogAppendTime when the topic says so); -1 when the producer set none. */
  timestamp: number;
  /** Zero-copy views of the fetch response (or the decompressed batch). */
  key: Buffer | null;
  value: Buffer | null;
  /** In record order; repeated keys stay. Records without headers share one frozen empty array. */
  headers: RecordHeader[];
}

export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

/**
 * One record batch (magic 2) as stored, decompressed: its records are in buf[start, end). A tail
 * that formats records itself takes these instead of records (one copy of the bytes rather than
 * objects and views per record, see parallel/unpack.ts); recordsOf() decodes one.
 */
export interface RecordBatch {
  buf: Buffer;
  start: number;
  end: number;
  baseOffset: number;
  lastOffset: number;
  /** Records in the batch: fewer than lastOffset - baseOffset + 1 once compaction removed some. */
  count: number;
  /** Records below this offset are skipped (the broker answers from the start of the batch holding the asked offset). */
  first: number;
  baseTimestamp: number;
  /** The batch's time for every record (LogAppendTime topics), else -1. */
  logAppendTime: number;
}

export class RecordDecodeError extends Error {}

const TWO_32 = 4294967296;
/** Shared by records without headers (most of them): one allocation less per record. Frozen. */
const EMPTY_HEADERS = Object.freeze([]) as unknown as RecordHeader[];
/** Batch header: baseOffset(8) batchLength(4) leaderEpoch(4) magic(1) crc(4) attributes(2) lastOffsetDelta(4)
 *  baseTimestamp(8) maxTimestamp(8) producerId(8) producerEpoch(2) baseSequence(4) recordCount(4). */
export const BATCH_HEADER_SIZE = 61;
const LOG_OVERHEAD = 12; // offset + length, common to all magics

const ATTR_COMPRESSION = 0x07;
const ATTR_LOG_APPEND_TIME = 0x08;
const ATTR_TRANSACTIONAL = 0x10;
const ATTR_CONTROL = 0x20;

function int64(buf: Buffer, pos: number): number {
  return ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) * TWO_32 + int32u(buf, pos + 4);
}

function int32(buf: Buffer, pos: number): number {
  return (buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!;
}

function int32u(buf: Buffer, pos: number): number {
  return int32(buf, pos) >>> 0;
}

export interface DecodeResult {
  /** Where to fetch next: past the last complete batch (control and aborted batches included). */
  nextOffset: number;
  /** Complete batches seen (0 with a non-empty input means the first batch did not fit). */
  batches: number;
}

/**
 * Decodes the record batches in buf[start, end) and appends the records at or after `fromOffset`
 * to `out`. A partial batch at the end (the broker cuts responses at maxBytes) is ignored.
 * With `aborted` (read_committed fetches) records of aborted transactions are dropped; control
 * batches (commit/abort markers) are always dropped.
 * With `raw`, batches go there undecoded instead, until a legacy message set (magic 0/1, records
 * only) comes: then the batches so far are decoded to `out` and the rest follows as records, so
 * one of the two holds everything, in offset order.
 */
export function decodeRecordBatches(
  buf: Buffer,
  start: number,
  end: number,
  fromOffset: number,
  aborted: AbortedTransaction[] | null,
  out: KafkaRecord[],
  raw: RecordBatch[] | null = null,
): DecodeResult {
  let pos = start;
  let nextOffset = fromOffset;
  let batches = 0;
  // read_committed bookkeeping as in the Java consumer: producers whose aborted transaction has
  // started by the current batch, removed again at their ABORT marker.
  let abortedIdx = 0;
  const abortedList = aborted && aborted.length ? [...aborted].sort((a, b) => a.firstOffset - b.firstOffset) : null;
  const abortedProducers = abortedList ? new Set<number>() : null;

  while (pos + LOG_OVERHEAD + 5 <= end) {
    const baseOffset = int64(buf, pos);
    const batchLength = int32(buf, pos + 8);
    const batchEnd = pos + LOG_OVERHEAD + batchLength;
    if (batchLength < 0) throw new RecordDecodeError(`negative batch length at offset ${baseOffset}`);
    if (batchEnd > end) break; // partial batch: fetch again from nextOffset
    const magic = buf[pos + 16]!;
    if (magic < 2) {
      if (raw) {
        for (const b of raw) decodeRecords(b, out);
        raw.length = 0;
        raw = null;
      }
      nextOffset = Math.max(nextOffset, decodeLegacyMessage(buf, pos, batchEnd, fromOffset, out, null));
      batches++;
      pos = batchEnd;
      continue;
    }
    if (magic !== 2) throw new RecordDecodeError(`unknown record batch magic ${magic} at offset ${baseOffset}`);
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) throw new RecordDecodeError(`record batch at offset ${baseOffset} too short`);
    batches++;
    const attributes = (buf[pos + 21]! << 8) | buf[pos + 22]!;
    const lastOffset = baseOffset + int32(buf, pos + 23);
    if (lastOffset + 1 > nextOffset) nextOffset = lastOffset + 1;

    if (abortedProducers && abortedList) {
      const producerId = int64(buf, pos + 43);
      if (producerId >= 0) {
        while (abortedIdx < abortedList.length && abortedList[abortedIdx]!.firstOffset <= lastOffset) {
          abortedProducers.add(abortedList[abortedIdx++]!.producerId);
        }
        if (attributes & ATTR_CONTROL) {
          if (isAbortMarker(buf, pos + BATCH_HEADER_SIZE, batchEnd, attributes)) abortedProducers.delete(producerId);
          pos = batchEnd;
          continue;
        }
        if (attributes & ATTR_TRANSACTIONAL && abortedProducers.has(producerId)) {
          pos = batchEnd;
          continue;
        }
      }
    }
    if (attributes & ATTR_CONTROL || lastOffset < fromOffset) {
      pos = batchEnd;
      continue;
    }

    const codec = attributes & ATTR_COMPRESSION;
    let data = buf;
    let recordsStart = pos + BATCH_HEADER_SIZE;
    let recordsEnd = batchEnd;
    if (codec !== 0) {
      try {
        data = decompress(codec, buf.subarray(recordsStart, recordsEnd));
      } catch (e) {
        throw new RecordDecodeError(
          `cannot decompress ${CODEC_NAMES[codec] ?? `codec ${codec}`} batch at offset ${baseOffset}: ${(e as Error).message}`,
        );
      }
      recordsStart = 0;
      recordsEnd = data.length;
    }
    const batch: RecordBatch = {
      buf: data,
      start: recordsStart,
      end: recordsEnd,
      baseOffset,
      lastOffset,
      count: int32(buf, pos + 57),
      first: Math.max(fromOffset, baseOffset),
      baseTimestamp: int64(buf, pos + 27),
      logAppendTime: attributes & ATTR_LOG_APPEND_TIME ? int64(buf, pos + 35) : -1,
    };
    if (raw) raw.push(batch);
    else decodeRecords(batch, out);
    pos = batchEnd;
  }
  return { nextOffset, batches };
}

/** A control batch holds one record whose key is (version int16, type int16): 0 = ABORT, 1 = COMMIT. */
function isAbortMarker(buf: Buffer, pos: number, end: number, attributes: number): boolean {
  if (attributes & ATTR_COMPRESSION) return false; // control batches are never compressed
  if (pos >= end) return false;
  readVarint(buf, pos); // record length
  pos = cursor.pos + 1; // attributes
  readVarint(buf, pos); // timestamp delta
  readVarint(buf, cursor.pos); // offset delta
  const keyLen = readVarint(buf, cursor.pos);
  pos = cursor.pos;
  if (keyLen < 4 || pos + 4 > end) return false;
  return ((buf[pos + 2]! << 8) | buf[pos + 3]!) === 0;
}

/** The records of one batch. */
export function recordsOf(batch: RecordBatch): KafkaRecord[] {
  const out: KafkaRecord[] = [];
  decodeRecords(batch, out);
  return out;
}

/** Appends the records of a batch from its first wanted offset on. */
function decodeRecords(batch: RecordBatch, out: KafkaRecord[]): void {
  const { buf, end, count, baseOffset, baseTimestamp, logAppendTime, first } = batch;
  let pos = batch.start;
  const ab = buf.buffer;
  const base = buf.byteOffset;
  for (let i = 0; i < count; i++) {
    if (pos >= end) throw new RecordDecodeError(`record batch at offset ${baseOffset} ends after ${i} of ${count} records`);
    // Varints inline for their one-byte form (nearly always for these fields), else the helper.
    let b = buf[pos]!;
    let length: number;
    if (b < 0x80) {
      length = (b >>> 1) ^ -(b & 1);
      pos += 1;
    } else {
      length = readVarint(buf, pos);
      pos = cursor.pos;
    }
    const recordEnd = pos + length;
    if (length < 6 || recordEnd > end) throw new RecordDecodeError(`corrupt record ${i} in batch at offset ${baseOffset}`);
    pos += 1; // attributes (int8, unused)
    let timestampDelta: number;
    b = buf[pos]!;
    if (b < 0x80) {
      timestampDelta = (b >>> 1) ^ -(b & 1);
      pos += 1;
    } else {
      timestampDelta = readVarint(buf, pos);
      pos = cursor.pos;
    }
    let offsetDelta: number;
    b = buf[pos]!;
    if (b < 0x80) {
      offsetDelta = (b >>> 1) ^ -(b & 1);
      pos += 1;
    } else {
      offsetDelta = readVarint(buf, pos);
      pos = cursor.pos;
    }
    let keyLength: number;
    b = buf[pos]!;
    if (b < 0x80) {
      keyLength = (b >>> 1) ^ -(b & 1);
      pos += 1;
    } else {
      keyLength = readVarint(buf, pos);
      pos = cursor.pos;
    }
    let key: Buffer | null = null;
    if (keyLength >= 0) {
      key = Buffer.from(ab, base + pos, keyLength);
      pos += keyLength;
    }
    let valueLength: number;
    b = buf[pos]!;
    if (b < 0x80) {
      valueLength = (b >>> 1) ^ -(b & 1);
      pos += 1;
    } else {
      valueLength = readVarint(buf, pos);
      pos = cursor.pos;
    }
    let value: Buffer | null = null;
    if (valueLength >= 0) {
      value = Buffer.from(ab, base + pos, valueLength);
      pos += valueLength;
    }
    const headerCount = buf[pos] === 0 ? 0 : readVarint(buf, pos);
    pos = headerCount === 0 ? pos + 1 : cursor.pos;
    const headers: RecordHeader[] = headerCount === 0 ? EMPTY_HEADERS : [];
    for (let h = 0; h < headerCount; h++) {
      const kLen = readVarint(buf, pos);
      pos = cursor.pos;
      const hKey = buf.toString('utf8', pos, pos + kLen);
      pos += kLen;
      const vLen = readVarint(buf, pos);
      pos = cursor.pos;
      let hValue: Buffer | null = null;
      if (vLen >= 0) {
        hValue = Buffer.from(ab, base + pos, vLen);
        pos += vLen;
      }
      headers.push({ key: hKey, value: hValue });
    }
    if (pos > recordEnd) throw new RecordDecodeError(`corrupt record ${i} in batch at offset ${baseOffset}`);
    pos = recordEnd;
    const offset = baseOffset + offsetDelta;
    if (offset < first) continue;
    out.push({
      offset,
      timestamp: logAppendTime >= 0 ? logAppendTime : baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    });
  }
}

// ------------------------------------------------------------------ legacy message sets (magic 0/1)

/**
 * One legacy message (offset, size, crc, magic, attributes, [timestamp], key, value) at buf[pos, end).
 * A compressed wrapper holds a nested message set; in magic 1 the inner offsets are relative to
 * the wrapper, whose offset is the last inner one. Returns the offset to fetch next.
 */
function decodeLegacyMessage(
  buf: Buffer,
  pos: number,
  end: number,
  fromOffset: number,
  out: KafkaRecord[],
  wrapper: { offset: number; timestamp: number; logAppendTime: boolean } | null,
): number {
  const offset = int64(buf, pos);
  const magic = buf[pos + 16]!;
  const attributes = buf[pos + 17]!;
  let p = pos + 18;
  let timestamp = -1;
  if (magic === 1) {
    timestamp = int64(buf, p);
    p += 8;
  }
  const keyLength = int32(buf, p);
  p += 4;
  const key = keyLength >= 0 ? buf.subarray(p, p + keyLength) : null;
  if (keyLength > 0) p += keyLength;
  const valueLength = int32(buf, p);
  p += 4;
  const value = valueLength >= 0 ? buf.subarray(p, p + valueLength) : null;
  if (p + Math.max(valueLength, 0) > end) throw new RecordDecodeError(`corrupt legacy message at offset ${offset}`);
  const codec = attributes & ATTR_COMPRESSION;
  if (codec !== 0 && wrapper === null) {
    if (!value) return offset + 1;
    let inner: Buffer;
    try {
      inner = decompress(codec, value);
    } catch (e) {
      throw new RecordDecodeError(`cannot decompress ${CODEC_NAMES[codec] ?? `codec ${codec}`} message set at offset ${offset}: ${(e as Error).message}`);
    }
    // In magic 1 inner offsets are relative: absolute = wrapper offset - last relative + relative.
    let lastRelative = 0;
    if (magic === 1) {
      for (let q = 0; q + LOG_OVERHEAD <= inner.length; ) {
        const size = int32(inner, q + 8);
        if (q + LOG_OVERHEAD + size > inner.length) break;
        lastRelative = int64(inner, q);
        q += LOG_OVERHEAD + size;
      }
    }
    const w = { offset: magic === 1 ? offset - lastRelative : 0, timestamp, logAppendTime: (attributes & ATTR_LOG_APPEND_TIME) !== 0 };
    for (let q = 0; q + LOG_OVERHEAD <= inner.length; ) {
      const size = int32(inner, q + 8);
      if (q + LOG_OVERHEAD + size > inner.length) break;
      decodeLegacyMessage(inner, q, q + LOG_OVERHEAD + size, fromOffset, out, w);
      q += LOG_OVERHEAD + size;
    }
    return offset + 1;
  }
  const absolute = wrapper && magic === 1 ? wrapper.offset + offset : offset;
  if (wrapper && wrapper.logAppendTime) timestamp = wrapper.timestamp;
  if (absolute >= fromOffset) out.push({ offset: absolute, timestamp, key, value, headers: [] });
  return absolute + 1;
}

/**
 * The nextOffset decodeRecordBatches() would return, from the batch headers alone (no record is
 * touched): lets the client ask for the next data before decoding this lot.
 */
export function scanNextOffset(buf: Buffer, start: number, end: number, fromOffset: number): number {
  let pos = start;
  let next = fromOffset;
  while (pos + LOG_OVERHEAD + 5 <= end) {
    const baseOffset = int64(buf, pos);
    const batchLength = int32(buf, pos + 8);
    const batchEnd = pos + LOG_OVERHEAD + batchLength;
    if (batchLength < 0 || batchEnd > end) break;
    const last = buf[pos + 16]! < 2 ? baseOffset : baseOffset + int32(buf, pos + 23);
    if (last + 1 > next) next = last + 1;
    pos = batchEnd;
  }
  return next;
}
