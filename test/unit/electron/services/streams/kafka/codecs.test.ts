// Codecs on their own: round trips where a compressor is at hand, fixed frames from the zstd and
// lz4 command-line tools (content size, checksums, no content size) where not.
import { gzipSync } from 'node:zlib';
import { compress as lz4Compress } from 'lz4js';
import { compress as snappyCompress } from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { CodecError, decompress, isXerial, lz4Frame, snappy } from '../../../../../../electron/services/streams/kafka/codecs';

const text = Buffer.from('hello zstd from kafka '.repeat(50));
const random = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 2654435761) >>> 24));

describe('codecs', () => {
  it('gzip round-trips', () => {
    expect(decompress(1, gzipSync(random)).equals(random)).toBe(true);
  });

  it('snappy: raw blocks and xerial framing with several blocks', () => {
    expect(snappy(Buffer.from(snappyCompress(random))).equals(random)).toBe(true);
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const blocks = [random.subarray(0, 32768), random.subarray(32768, 65536), random.subarray(65536)].map((x) => Buffer.from(snappyCompress(x)));
    const int32 = (n: number): Buffer => {
      const x = Buffer.alloc(4);
      x.writeInt32BE(n);
      return x;
    };
    const framed = Buffer.concat([header, ...blocks.flatMap((bl) => [int32(bl.length), bl])]);
    expect(isXerial(framed)).toBe(true);
    expect(decompress(2, framed).equals(random)).toBe(true);
    expect(() => snappy(Buffer.concat([header, Buffer.from([0, 0, 0, 99, 1])]))).toThrow(CodecError);
  });

  it('lz4 frames from lz4js (no content size, 4 MiB blocks)', () => {
    expect(lz4Frame(Buffer.from(lz4Compress(random))).equals(random)).toBe(true);
    expect(lz4Frame(Buffer.from(lz4Compress(Buffer.alloc(0)))).length).toBe(0);
  });

  it('lz4 frames from the lz4 CLI: content size + block and content checksums; dependent 64 KiB blocks', () => {
    const withAll = Buffer.from('BCJNGHxATAQAAAAAAACGJQAAAP8HaGVsbG8genN0ZCBmcm9tIGthZmthIBYA/////yJQYWZrYSDFckPvAAAAABb0GDs=', 'base64');
    expect(withAll[4]).toBe(0x7c); // FLG: version 1, independent blocks, block checksum, content size, content checksum
    expect(decompress(3, withAll).equals(text)).toBe(true);
    const b4 = Buffer.from('BCJNGGRApyUAAAD/B2hlbGxvIHpzdGQgZnJvbSBrYWZrYSAWAP////8iUGFma2EgAAAAABb0GDs=', 'base64');
    expect(decompress(3, b4).equals(text)).toBe(true);
    expect(() => lz4Frame(Buffer.from('not lz4 at all'))).toThrow(/bad magic/);
  });

  it('zstd frames from the zstd CLI, with and without the content size', () => {
    const streamed = Buffer.from('KLUv/QRY9QAAsGhlbGxvIHpzdGQgZnJvbSBrYWZrYSABAGbIfzYBd3I7yA==', 'base64'); // from stdin: no content size
    const sized = Buffer.from('KLUv/WRMA/UAALBoZWxsbyB6c3RkIGZyb20ga2Fma2EgAQBmyH82AXdyO8g=', 'base64');
    expect(decompress(4, streamed).equals(text)).toBe(true);
    expect(decompress(4, sized).equals(text)).toBe(true);
  });

  it('unknown codec ids are an error', () => {
    expect(() => decompress(5, Buffer.alloc(1))).toThrow(/unknown compression codec 5/);
  });
});
