// Records as plain data that crosses to a worker thread cheaply: one byte array (keys, values and
// header values) and tables of numbers per record, all in shared memory, so nothing is copied
// per record on the way and nothing is transferred (a detached ArrayBuffer makes V8 throw away
// optimized code that assumed none ever would be). The bytes are where a fetch answer put them
// when it has room for the chunk's tables and output (see FramePool); otherwise they are copied
// span by span into a buffer of the ring (see ring.ts).
// Undecoded record batches (see runs.ts) are copied whole into the byte array, with a row in a
// table of batches; their records' rows are filled where the chunk is processed (unpack.ts).
import type { FrameRoom } from '../kafka/frame-pool';
import type { RecordBatch } from '../kafka/records';
import type { SourceRecord } from '../sources/record-source';

/** Numbers per record in `Chunk.recs`. */
export const REC = 9;
/** Positions in a record's row of `Chunk.recs`. */
export const R_PARTITION = 0;
export const R_OFFSET = 1;
export const R_TIMESTAMP = 2;
/** Start and length in `data`; length -1 for null. */
export const R_KEY = 3;
export const R_KEY_LEN = 4;
export const R_VALUE = 5;
export const R_VALUE_LEN = 6;
/** First header (index into `hdrs`, in headers) and how many. */
export const R_HEADERS = 7;
export const R_HEADER_COUNT = 8;
/** Numbers per header in `Chunk.hdrs`: key index (into `keys`), value start, value length (-1 null). */
export const HDR = 3;
/** Numbers per undecoded batch in `Chunk.batches`. */
export const BAT = 9;
/** Positions in a batch's row: the row in `recs` of its first record taken, and how many it takes. */
export const B_ROW = 0;
export const B_COUNT = 1;
/** Its records' bytes, [start, end) in `data`. */
export const B_START = 2;
export const B_END = 3;
export const B_PARTITION = 4;
export const B_BASE_OFFSET = 5;
/** Records below this offset are skipped. */
export const B_FIRST = 6;
export const B_BASE_TIMESTAMP = 7;
/** -1 unless the topic stamps LogAppendTime. */
export const B_LOG_APPEND_TIME = 8;

export interface Chunk {
  count: number;
  /**
   * The records' bytes in [0, size), then spare room: the output is written after the input in
   * the same buffer, so values are copied with copyWithin (no view object per record).
   */
  data: Uint8Array;
  size: number;
  /** Rows of undecoded batches are filled by unpackBatches(). */
  recs: Float64Array;
  hdrs: Int32Array;
  /** Header keys, each once per chunk. */
  keys: string[];
  /** Undecoded batches, BAT numbers each. */
  batches: Float64Array;
}

/** What a chunk's processing gives back, per record in order. */
export interface ChunkResult {
  count: number;
  /** The chunk's own table (REC numbers per record), handed back: partitions, offsets and sizes for the stats. */
  recs: Float64Array;
  /** Per record: CHECKED | PASSED | MATCHED. */
  flags: Uint8Array;
  /** Per record: where its output ends in `out` (records that print nothing end where the previous one did). */
  ends: Uint32Array;
  out: Uint8Array;
}

export const CHECKED = 1;
export const PASSED = 2;
export const MATCHED = 4;

/** Bytes between two views of one buffer that are still copied along rather than starting a new span. */
const MAX_GAP = 4096;

/**
 * The tables a builder fills, kept by its caller for the next builder: they are copied into the
 * chunk's buffer when it is built, so fresh ones per chunk would only be garbage.
 */
export interface ChunkTables {
  recs: Float64Array;
  hdrs: Int32Array;
  batches: Float64Array;
}

export function chunkTables(records = 1024): ChunkTables {
  return { recs: new Float64Array(records * REC), hdrs: new Int32Array(records * HDR), batches: new Float64Array(0) };
}

/**
 * Collects records into a chunk. Key, value and header values are zero-copy views of a fetch
 * response (or of a decompressed batch): consecutive views of one buffer become one span, copied
 * with one memcpy when the chunk is built.
 */
export class ChunkBuilder {
  count = 0;
  private recs: Float64Array;
  private hdrs: Int32Array;
  private nHdrs = 0;
  private keys: string[] = [];
  private keyIndex = new Map<string, number>();
  private lastKey: string | null = null;
  private lastKeyIndex = 0;
  private batches: Float64Array;
  private nBatches = 0;
  // spans: closed ones, then the open one
  private spans: Array<{ buf: ArrayBufferLike; start: number; end: number }> = [];
  private base = 0;
  private open: { buf: ArrayBufferLike; start: number; end: number } | null = null;

  /** In frame mode: the span of the frame the records are in. */
  private lo = Infinity;
  private hi = 0;

  /**
   * `frame`: the shared memory (a fetch answer, see FramePool) every record added is a view of;
   * positions are then where the bytes are in it, and build() puts the chunk there when it can.
   */
  constructor(
    capacity = 1024,
    private readonly tables: ChunkTables = chunkTables(capacity),
    private readonly frame: SharedArrayBuffer | null = null,
  ) {
    this.recs = tables.recs;
    this.hdrs = tables.hdrs;
    this.batches = tables.batches;
    this.reserve(capacity);
  }

  /** Where bytes of a buffer, [off, end), will be in the chunk's data. */
  private place(buf: ArrayBufferLike, off: number, end: number): number {
    if (this.frame !== null) {
      if (buf !== this.frame) throw new Error('ChunkBuilder: a record outside the frame it was made for');
      // Where it is in the frame: the chunk is built there, or [lo, hi) is copied whole.
      if (off < this.lo) this.lo = off;
      if (end > this.hi) this.hi = end;
      return off;
    }
    const open = this.open;
    if (open !== null && open.buf === buf && off >= open.start && off <= open.end + MAX_GAP) {
      if (end > open.end) open.end = end;
      return this.base + (off - open.start);
    }
    if (open !== null) this.base += open.end - open.start;
    const span = { buf, start: off, end };
    this.spans.push(span);
    this.open = span;
    return this.base;
  }

  private view(v: Buffer): number {
    return this.place(v.buffer, v.byteOffset, v.byteOffset + v.byteLength);
  }

  /** Room in `recs` for this many records. */
  private reserve(records: number): void {
    if (records * REC <= this.recs.length) return;
    const grown = new Float64Array(Math.max(this.recs.length * 2, records * REC));
    grown.set(this.recs);
    this.recs = this.tables.recs = grown;
  }

  add(partition: number, r: SourceRecord): void {
    const n = this.count;
    this.reserve(n + 1);
    const recs = this.recs;
    const at = n * REC;
    recs[at + R_PARTITION] = partition;
    recs[at + R_OFFSET] = r.offset;
    recs[at + R_TIMESTAMP] = r.timestamp;
    const key = r.key;
    if (key === null) recs[at + R_KEY_LEN] = -1;
    else {
      recs[at + R_KEY] = this.view(key);
      recs[at + R_KEY_LEN] = key.byteLength;
    }
    const value = r.value;
    if (value === null) recs[at + R_VALUE_LEN] = -1;
    else {
      recs[at + R_VALUE] = this.view(value);
      recs[at + R_VALUE_LEN] = value.byteLength;
    }
    const headers = r.headers;
    const h = headers.length;
    recs[at + R_HEADERS] = this.nHdrs;
    recs[at + R_HEADER_COUNT] = h;
    if (h > 0) {
      if ((this.nHdrs + h) * HDR > this.hdrs.length) {
        const grown = new Int32Array(Math.max(this.hdrs.length * 2, (this.nHdrs + h) * HDR));
        grown.set(this.hdrs);
        this.hdrs = this.tables.hdrs = grown;
      }
      const hdrs = this.hdrs;
      for (let i = 0; i < h; i++) {
        const x = headers[i]!;
        const j = (this.nHdrs + i) * HDR;
        // Records mostly carry the same header keys: the last one is checked before the map.
        let k = x.key === this.lastKey ? this.lastKeyIndex : this.keyIndex.get(x.key);
        if (k === undefined) {
          k = this.keys.length;
          this.keys.push(x.key);
          this.keyIndex.set(x.key, k);
        }
        this.lastKey = x.key;
        this.lastKeyIndex = k;
        hdrs[j] = k;
        if (x.value === null) hdrs[j + 2] = -1;
        else {
          hdrs[j + 1] = this.view(x.value);
          hdrs[j + 2] = x.value.byteLength;
        }
      }
      this.nHdrs += h;
    }
    this.count = n + 1;
  }

  /** `count` records of a batch from offset `first` on: its bytes now, their rows when unpacked. */
  addBatch(partition: number, batch: RecordBatch, first: number, count: number): void {
    const n = this.count;
    this.reserve(n + count);
    if ((this.nBatches + 1) * BAT > this.batches.length) {
      const grown = new Float64Array(Math.max(this.batches.length * 2, 4 * BAT));
      grown.set(this.batches);
      this.batches = this.tables.batches = grown;
    }
    const b = batch.buf;
    const start = this.place(b.buffer, b.byteOffset + batch.start, b.byteOffset + batch.end);
    const t = this.batches;
    const j = this.nBatches++ * BAT;
    t[j + B_ROW] = n;
    t[j + B_COUNT] = count;
    t[j + B_START] = start;
    t[j + B_END] = start + batch.end - batch.start;
    t[j + B_PARTITION] = partition;
    t[j + B_BASE_OFFSET] = batch.baseOffset;
    t[j + B_FIRST] = first;
    t[j + B_BASE_TIMESTAMP] = batch.baseTimestamp;
    t[j + B_LOG_APPEND_TIME] = batch.logAppendTime;
    this.count = n + count;
  }

  /**
   * `alloc` gives the chunk's buffer (see ring.ts), 8-byte aligned. The tables go first, so in
   * shared memory a worker reads and fills them where they are (nothing copied or allocated per
   * chunk); then the records' bytes, then room for the usual output (the value, ~170 bytes of
   * fields, keys and headers again).
   */
  build(alloc: (bytes: number) => Buffer, room?: FrameRoom): Chunk {
    if (this.frame !== null) {
      const inFrame = room ? this.buildInFrame(this.frame, room) : null;
      if (inFrame) return inFrame;
      // No room left in the frame: its span is copied like any other, positions moved with it.
      this.rebase(-this.lo);
      this.spans.push({ buf: this.frame, start: this.lo, end: this.hi });
      this.base = this.hi - this.lo;
    } else {
      const open = this.open;
      this.base += open ? open.end - open.start : 0;
    }
    const size = this.base;
    const region = alloc(this.tableBytes() + size + outputRoom(size, this.count));
    const data = region.subarray(this.tableBytes());
    let at = 0;
    for (const s of this.spans) {
      data.set(new Uint8Array(s.buf, s.start, s.end - s.start), at);
      at += s.end - s.start;
    }
    return this.chunk(region, data, size);
  }

  /**
   * The chunk where its records are: tables and output room carved from the frame's free room
   * after the answer (see FramePool), nothing copied. Null when the frame has no room for it.
   */
  private buildInFrame(frame: SharedArrayBuffer, room: FrameRoom): Chunk | null {
    const tables = this.tableBytes();
    const out = outputRoom(this.hi - this.lo, this.count);
    const at = room.carve(frame, tables + out);
    if (at < 0) return null;
    const end = at + tables + out;
    return this.chunk(Buffer.from(frame, at, tables), Buffer.from(frame, 0, end), at + tables);
  }

  private tableBytes(): number {
    return (this.count * REC + this.nBatches * BAT) * 8 + Math.ceil((this.nHdrs * HDR) / 2) * 8;
  }

  /** The chunk with its tables copied into `tables` (8-byte aligned): shared with a worker, which fills them in place. */
  private chunk(tables: Buffer, data: Buffer, size: number): Chunk {
    if (tables.byteOffset % 8 !== 0) throw new Error('chunk buffers must be 8-byte aligned');
    const nRecs = this.count * REC;
    const nBatches = this.nBatches * BAT;
    const nHdrs = this.nHdrs * HDR;
    const memory = tables.buffer;
    let at = tables.byteOffset;
    const recs = new Float64Array(memory, at, nRecs);
    recs.set(this.recs.subarray(0, nRecs));
    at += nRecs * 8;
    const batches = new Float64Array(memory, at, nBatches);
    batches.set(this.batches.subarray(0, nBatches));
    at += nBatches * 8;
    const hdrs = new Int32Array(memory, at, nHdrs);
    hdrs.set(this.hdrs.subarray(0, nHdrs));
    return { count: this.count, data, size, recs, hdrs, keys: this.keys, batches };
  }

  /** Moves every position of the tables by `delta` (records of batches get theirs when unpacked). */
  private rebase(delta: number): void {
    const recs = this.recs;
    const hdrs = this.hdrs;
    const batches = this.batches;
    for (let j = 0; j < this.nBatches * BAT; j += BAT) {
      batches[j + B_START]! += delta;
      batches[j + B_END]! += delta;
    }
    const inBatch = new Uint8Array(this.count);
    for (let j = 0; j < this.nBatches * BAT; j += BAT) inBatch.fill(1, batches[j + B_ROW]!, batches[j + B_ROW]! + batches[j + B_COUNT]!);
    for (let i = 0; i < this.count; i++) {
      if (inBatch[i]) continue;
      const at = i * REC;
      if (recs[at + R_KEY_LEN]! >= 0) recs[at + R_KEY]! += delta;
      if (recs[at + R_VALUE_LEN]! >= 0) recs[at + R_VALUE]! += delta;
    }
    for (let j = 0; j < this.nHdrs * HDR; j += HDR) if (hdrs[j + 2]! >= 0) hdrs[j + 1]! += delta;
  }
}

/** Room for a chunk's output: its input again and ~200 bytes a record. */
export function outputRoom(size: number, count: number): number {
  return size + count * 200 + 1024;
}
