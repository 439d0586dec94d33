// Reads Kafka protocol primitives from a response frame. `flexible` switches strings, arrays and
// bytes to their compact forms and makes tagged-field sections readable (KIP-482).
// Everything reads straight from the frame: `bytes()` returns views, never copies.
import { cursor, readUVarint } from './varint';

export class ProtocolDecodeError extends Error {}

const TWO_32 = 4294967296;

export class Reader {
  constructor(
    public readonly buf: Buffer,
    public pos = 0,
    public flexible = false,
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new ProtocolDecodeError(`response truncated: need ${n} bytes at ${this.pos} of ${this.buf.length}`);
    }
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.pos++);
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** int64 as a JS number (exact up to 2^53; Kafka offsets and timestamps stay far below). */
  int64(): number {
    this.need(8);
    const v = this.buf.readInt32BE(this.pos) * TWO_32 + this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return v;
  }

  int64Big(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  uvarint(): number {
    this.need(1);
    const v = readUVarint(this.buf, this.pos);
    if (cursor.pos > this.buf.length) throw new ProtocolDecodeError('response truncated inside a varint');
    this.pos = cursor.pos;
    return v;
  }

  uuid(): Buffer {
    this.need(16);
    const v = this.buf.subarray(this.pos, this.pos + 16);
    this.pos += 16;
    return v;
  }

  /** Length of a string/bytes/array; -1 for null. */
  private len16(): number {
    return this.flexible ? this.uvarint() - 1 : this.int16();
  }

  private len32(): number {
    return this.flexible ? this.uvarint() - 1 : this.int32();
  }

  nullableString(): string | null {
    const n = this.len16();
    if (n < 0) return null;
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  string(): string {
    return this.nullableString() ?? '';
  }

  /** BYTES / RECORDS as a view of the frame; null for null. */
  bytes(): Buffer | null {
    const n = this.len32();
    if (n < 0) return null;
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** Like bytes() but returns the [start, end) range in the frame instead of a view. */
  bytesRange(): [number, number] | null {
    const n = this.len32();
    if (n < 0) return null;
    this.need(n);
    const start = this.pos;
    this.pos += n;
    return [start, this.pos];
  }

  /** Array length; -1 for a null array. */
  arrayLength(): number {
    const n = this.len32();
    if (n > this.remaining) throw new ProtocolDecodeError(`array of ${n} elements in ${this.remaining} bytes`);
    return n;
  }

  array<T>(each: (r: this) => T): T[] {
    const n = this.arrayLength();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each(this));
    return out;
  }

  int32Array(): number[] {
    return this.array((r) => r.int32());
  }

  /**
   * A tagged-field section (flexible versions; no-op otherwise). Unknown tags are skipped;
   * `onTag` may read a known one (it must consume exactly `size` bytes, or leave pos untouched).
   */
  tags(onTag?: (tag: number, size: number, r: this) => void): void {
    if (!this.flexible) return;
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      const size = this.uvarint();
      const end = this.pos + size;
      this.need(size);
      if (onTag) onTag(tag, size, this);
      this.pos = end;
    }
  }
}
