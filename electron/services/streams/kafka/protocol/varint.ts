// Varints as used by Kafka: unsigned LEB128 for protocol lengths/tags (KIP-482), zig-zag signed
// varints/varlongs in record batches (KIP-98). Decoders take a position and return the value; the
// position after it lands in `cursor.pos` — an out-parameter without allocating per call, so the
// record loop stays free of temporary objects.
//
// Values are JS numbers: exact up to 2^53, which covers every length, delta and offset a broker
// hands out (see client.ts on offsets). A varint longer than 10 bytes is malformed.

export const cursor = { pos: 0 };

export class VarintError extends Error {}

/** Unsigned varint (up to 2^53). */
export function readUVarint(buf: Uint8Array, pos: number): number {
  let b = buf[pos++]!;
  if (b < 0x80) {
    cursor.pos = pos;
    return b;
  }
  let v = b & 0x7f;
  b = buf[pos++]!;
  v |= (b & 0x7f) << 7;
  if (b < 0x80) {
    cursor.pos = pos;
    return v;
  }
  b = buf[pos++]!;
  v |= (b & 0x7f) << 14;
  if (b < 0x80) {
    cursor.pos = pos;
    return v;
  }
  b = buf[pos++]!;
  v |= (b & 0x7f) << 21;
  if (b < 0x80) {
    cursor.pos = pos;
    return v;
  }
  // 28 bits so far: continue with multiplication (no 32-bit overflow).
  let mul = 268435456; // 2^28
  for (let i = 4; i < 10; i++) {
    b = buf[pos++]!;
    if (b === undefined) throw new VarintError('varint runs past the end of the data');
    v += (b & 0x7f) * mul;
    if (b < 0x80) {
      cursor.pos = pos;
      return v;
    }
    mul *= 128;
  }
  throw new VarintError('malformed varint (more than 10 bytes)');
}

/** Zig-zag signed varint/varlong (record batch fields). */
export function readVarint(buf: Uint8Array, pos: number): number {
  const b = buf[pos]!;
  if (b < 0x80) {
    cursor.pos = pos + 1;
    return (b >>> 1) ^ -(b & 1);
  }
  const b2 = buf[pos + 1]!;
  if (b2 < 0x80) {
    // two bytes: lengths of 64..8191 bytes, the usual record and value sizes
    const n = (b & 0x7f) | (b2 << 7);
    cursor.pos = pos + 2;
    return (n >>> 1) ^ -(n & 1);
  }
  return unzigzag(readUVarint(buf, pos));
}

export function unzigzag(n: number): number {
  if (n < 0x80000000) return (n >>> 1) ^ -(n & 1);
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

export function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Encoded size of an unsigned varint. */
export function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}
