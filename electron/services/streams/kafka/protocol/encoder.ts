// Writes Kafka protocol primitives into a growing buffer. Requests are small (a few hundred bytes),
// so one buffer that doubles when full is plenty; `flexible` switches strings, arrays and bytes to
// their compact (unsigned-varint length) forms and makes `tags()` write an empty tagged-field set.
// https://kafka.apache.org/protocol#protocol_types

export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(
    /** Flexible versions (KIP-482): compact strings/arrays/bytes and tagged fields. */
    public flexible = false,
    initialSize = 256,
  ) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  /** int64 from a JS number (exact up to 2^53) or a bigint. */
  int64(v: number | bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(typeof v === 'bigint' ? v : BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  /** Unsigned varint (protocol lengths, tags). */
  uvarint(v: number): this {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** Zig-zag signed varint (record fields); exact for any safe integer. */
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** 16 bytes; all zero when absent. */
  uuid(id: Uint8Array | null): this {
    this.ensure(16);
    if (id) this.buf.set(id.subarray(0, 16), this.pos);
    else this.buf.fill(0, this.pos, this.pos + 16);
    this.pos += 16;
    return this;
  }

  /** STRING / NULLABLE_STRING, or COMPACT_(NULLABLE_)STRING in flexible versions. */
  string(s: string | null): this {
    if (s === null) return this.flexible ? this.uvarint(0) : this.int16(-1);
    const n = Buffer.byteLength(s, 'utf8');
    if (this.flexible) this.uvarint(n + 1);
    else this.int16(n);
    this.ensure(n);
    this.buf.write(s, this.pos, n, 'utf8');
    this.pos += n;
    return this;
  }

  /** A STRING that is never compact, whatever the version (the request header's client id). */
  legacyString(s: string | null): this {
    const f = this.flexible;
    this.flexible = false;
    this.string(s);
    this.flexible = f;
    return this;
  }

  /** BYTES / NULLABLE_BYTES, or their compact forms. */
  bytes(b: Uint8Array | null): this {
    if (b === null) return this.flexible ? this.uvarint(0) : this.int32(-1);
    if (this.flexible) this.uvarint(b.length + 1);
    else this.int32(b.length);
    return this.raw(b);
  }

  /** Array length prefix (null = -1); the caller writes the elements. */
  arrayLength(n: number | null): this {
    if (n === null) return this.flexible ? this.uvarint(0) : this.int32(-1);
    return this.flexible ? this.uvarint(n + 1) : this.int32(n);
  }

  array<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    this.arrayLength(items === null ? null : items.length);
    if (items) for (const item of items) each(this, item);
    return this;
  }

  /** An empty tagged-field section (flexible versions only; no-op otherwise). */
  tags(): this {
    return this.flexible ? this.uvarint(0) : this;
  }

  /** Writes `v` as int32 at an earlier position (size prefixes). */
  patchInt32(at: number, v: number): this {
    this.buf.writeInt32BE(v, at);
    return this;
  }

  /** The bytes written so far (a view of the internal buffer: do not keep using the writer). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
