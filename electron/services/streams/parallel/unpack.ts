// The rows of a chunk's undecoded record batches (ChunkBuilder.addBatch): the walk over the
// records that the reading thread skipped, done where the chunk is processed (a worker thread,
// mostly). It fills the rows each batch reserved in `recs` and adds the records' headers to
// `hdrs` and `keys`, as ChunkBuilder.add() would have for the same records (see decodeRecords in
// kafka/records.ts for the record format).
import { RecordDecodeError } from '../kafka/records';
import { cursor, readVarint } from '../kafka/protocol/varint';
import {
  BAT,
  B_BASE_OFFSET,
  B_BASE_TIMESTAMP,
  B_COUNT,
  B_END,
  B_FIRST,
  B_LOG_APPEND_TIME,
  B_PARTITION,
  B_ROW,
  B_START,
  HDR,
  REC,
  R_HEADERS,
  R_HEADER_COUNT,
  R_KEY,
  R_KEY_LEN,
  R_OFFSET,
  R_PARTITION,
  R_TIMESTAMP,
  R_VALUE,
  R_VALUE_LEN,
  type Chunk,
} from './chunk';

export function unpackBatches(chunk: Chunk): void {
  if (chunk.batches.length === 0) return;
  const data = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  const nHdrs = walkBatches(chunk, data);
  chunk.hdrs = HEADERS.subarray(0, nHdrs * HDR);
  HEADERS = EMPTY;
}

const EMPTY = new Int32Array(0);
/** The header rows walkBatches() ended with (it returns only their count). */
let HEADERS: Int32Array = EMPTY;

/**
 * The walk itself, a function of its own that ends in a plain return: the optimizing compiler
 * takes over its long loop while it runs (on-stack replacement), and code after the loop that
 * had not run yet would throw that compiled code away when the first chunk ends.
 */
function walkBatches(chunk: Chunk, data: Buffer): number {
  const t = chunk.batches;
  const recs = chunk.recs;
  const keys = chunk.keys;
  const keyIndex = new Map(keys.map((k, i) => [k, i]));
  let nHdrs = chunk.hdrs.length / HDR;
  let hdrs = chunk.hdrs;
  // Records mostly repeat the header keys of the one before: the last key's bytes are compared
  // before a key is decoded and looked up.
  let lastKeyAt = 0;
  let lastKeyLen = -1;
  let lastKey = 0;

  for (let j = 0; j < t.length; j += BAT) {
    // Rows, positions and the partition as int32 (| 0): read from the Float64Array they would
    // make every position computed from them a double (slower, and a deopt when code optimized
    // for small integers meets one). Offsets and timestamps stay doubles (64-bit values).
    let row = t[j + B_ROW]! | 0;
    const rows = row + (t[j + B_COUNT]! | 0);
    let pos = t[j + B_START]! | 0;
    const end = t[j + B_END]! | 0;
    const partition = t[j + B_PARTITION]! | 0;
    const baseOffset = t[j + B_BASE_OFFSET]!;
    const first = t[j + B_FIRST]!;
    const baseTimestamp = t[j + B_BASE_TIMESTAMP]!;
    const logAppendTime = t[j + B_LOG_APPEND_TIME]!;
    while (row < rows) {
      if (pos >= end) throw new RecordDecodeError(`record batch at offset ${baseOffset} of partition ${partition} ends before its last record`);
      const length = readVarint(data, pos);
      pos = cursor.pos;
      const recordEnd = pos + length;
      if (length < 6 || recordEnd > end) throw new RecordDecodeError(`corrupt record in batch at offset ${baseOffset} of partition ${partition}`);
      const timestampDelta = readVarint(data, pos + 1); // after the attributes (int8, unused)
      const offset = baseOffset + readVarint(data, cursor.pos);
      if (offset < first) {
        pos = recordEnd;
        continue;
      }
      const at = row * REC;
      recs[at + R_PARTITION] = partition;
      recs[at + R_OFFSET] = offset;
      recs[at + R_TIMESTAMP] = logAppendTime >= 0 ? logAppendTime : baseTimestamp + timestampDelta;
      const keyLength = readVarint(data, cursor.pos);
      pos = cursor.pos;
      recs[at + R_KEY] = pos;
      recs[at + R_KEY_LEN] = keyLength;
      if (keyLength > 0) pos += keyLength;
      const valueLength = readVarint(data, pos);
      pos = cursor.pos;
      recs[at + R_VALUE] = pos;
      recs[at + R_VALUE_LEN] = valueLength;
      if (valueLength > 0) pos += valueLength;
      const headerCount = readVarint(data, pos);
      pos = cursor.pos;
      recs[at + R_HEADERS] = nHdrs;
      recs[at + R_HEADER_COUNT] = headerCount;
      if (headerCount > 0) {
        if ((nHdrs + headerCount) * HDR > hdrs.length) {
          const grown = new Int32Array(Math.max(2 * hdrs.length, (nHdrs + headerCount) * HDR, 1024 * HDR));
          grown.set(hdrs.subarray(0, nHdrs * HDR));
          hdrs = grown;
        }
        for (let h = 0; h < headerCount; h++) {
          const keyLen = readVarint(data, pos);
          pos = cursor.pos;
          let k = lastKey;
          if (keyLen !== lastKeyLen || !sameBytes(data, lastKeyAt, pos, keyLen)) {
            const key = data.toString('utf8', pos, pos + keyLen);
            k = keyIndex.get(key) ?? keys.length;
            if (k === keys.length) {
              keys.push(key);
              keyIndex.set(key, k);
            }
            lastKey = k;
            lastKeyAt = pos;
            lastKeyLen = keyLen;
          }
          pos += keyLen;
          const valueLen = readVarint(data, pos);
          pos = cursor.pos;
          const x = nHdrs++ * HDR;
          hdrs[x] = k;
          hdrs[x + 1] = pos;
          hdrs[x + 2] = valueLen;
          if (valueLen > 0) pos += valueLen;
        }
      }
      if (pos > recordEnd) throw new RecordDecodeError(`corrupt record in batch at offset ${baseOffset} of partition ${partition}`);
      pos = recordEnd;
      row++;
    }
  }
  HEADERS = hdrs;
  return nHdrs;
}

/** A short run of bytes (a header key): a loop beats a native call at this size. */
function sameBytes(b: Buffer, x: number, y: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}
