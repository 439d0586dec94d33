// Decompression of record batches: the codec id sits in the low 3 bits of the batch attributes.
//   1 gzip    node:zlib
//   2 snappy  snappyjs; Java clients (and brokers recompressing) write xerial's framing
//             (magic + version + [int32 length, raw block]...), librdkafka writes one raw block
//   3 lz4     LZ4 frame format (own frame parser, blocks through lz4js)
//   4 zstd    fzstd (a zstd frame, possibly without the content size)
import { gunzipSync } from 'node:zlib';
import { decompressBlock } from 'lz4js';
import { uncompress as snappyUncompress } from 'snappyjs';
import { decompress as zstdDecompress } from 'fzstd';

export const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

export class CodecError extends Error {}

export function decompress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case 1:
      return gunzipSync(data);
    case 2:
      return snappy(data);
    case 3:
      return lz4Frame(data);
    case 4: {
      const out = zstdDecompress(data);
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    }
    default:
      throw new CodecError(`unknown compression codec ${codec}`);
  }
}

// ------------------------------------------------------------------ snappy

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]); // \x82SNAPPY\0
const XERIAL_HEADER = 16; // magic + int32 version + int32 min compatible version

export function isXerial(data: Uint8Array): boolean {
  if (data.length < XERIAL_HEADER) return false;
  for (let i = 0; i < 8; i++) if (data[i] !== XERIAL_MAGIC[i]) return false;
  return true;
}

export function snappy(data: Buffer): Buffer {
  if (!isXerial(data)) return snappyUncompress(data);
  const blocks: Buffer[] = [];
  let total = 0;
  let pos = XERIAL_HEADER;
  while (pos < data.length) {
    if (pos + 4 > data.length) throw new CodecError('snappy (xerial): truncated block header');
    const n = data.readInt32BE(pos);
    pos += 4;
    if (n < 0 || pos + n > data.length) throw new CodecError('snappy (xerial): block runs past the end');
    const block = snappyUncompress(data.subarray(pos, pos + n));
    blocks.push(block);
    total += block.length;
    pos += n;
  }
  return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks, total);
}

// ------------------------------------------------------------------ lz4 frame

const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK_MAX = [0, 0, 0, 0, 0x10000, 0x40000, 0x100000, 0x400000];

export function lz4Frame(data: Buffer): Buffer {
  if (data.length < 7 || data.readUInt32LE(0) !== LZ4_MAGIC) throw new CodecError('lz4: not an LZ4 frame (bad magic)');
  const flg = data[4]!;
  const bd = data[5]!;
  if ((flg & 0xc0) !== 0x40) throw new CodecError(`lz4: unsupported frame version ${(flg >> 6) & 3}`);
  const blockChecksum = (flg & 0x10) !== 0;
  const hasContentSize = (flg & 0x08) !== 0;
  const hasDictId = (flg & 0x01) !== 0;
  const blockMax = LZ4_BLOCK_MAX[(bd >> 4) & 7] ?? 0;
  if (!blockMax) throw new CodecError('lz4: invalid block size in frame descriptor');
  let pos = 6;
  let contentSize = -1;
  if (hasContentSize) {
    contentSize = data.readUInt32LE(pos) + data.readUInt32LE(pos + 4) * 4294967296;
    pos += 8;
  }
  if (hasDictId) pos += 4;
  pos += 1; // header checksum
  const blocksStart = pos;

  // Output size: the declared content size, else a bound from the block headers.
  let size = contentSize;
  if (size < 0) {
    size = 0;
    for (let p = blocksStart; ; ) {
      if (p + 4 > data.length) throw new CodecError('lz4: truncated frame');
      const word = data.readUInt32LE(p);
      if (word === 0) break;
      const n = word & 0x7fffffff;
      size += word & 0x80000000 ? n : blockMax;
      p += 4 + n + (blockChecksum ? 4 : 0);
    }
  }
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (;;) {
    if (pos + 4 > data.length) throw new CodecError('lz4: truncated frame');
    const word = data.readUInt32LE(pos);
    pos += 4;
    if (word === 0) break;
    const n = word & 0x7fffffff;
    if (pos + n > data.length) throw new CodecError('lz4: block runs past the end of the frame');
    if (word & 0x80000000) {
      if (o + n > out.length) throw new CodecError('lz4: content larger than declared');
      data.copy(out, o, pos, pos + n);
      o += n;
    } else {
      const before = o;
      o = decompressBlock(data, out, pos, n, o);
      if (o > out.length || o - before > blockMax) throw new CodecError('lz4: corrupt block');
    }
    pos += n + (blockChecksum ? 4 : 0);
  }
  // (a content checksum may follow; not verified, like the block checksums)
  if (contentSize >= 0 && o !== contentSize) throw new CodecError(`lz4: got ${o} bytes, frame declares ${contentSize}`);
  return o === out.length ? out : out.subarray(0, o);
}
