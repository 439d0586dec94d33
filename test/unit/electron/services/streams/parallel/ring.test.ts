// The chunk ring: buffers taken in turn from shared memory, reused once released (oldest first),
// and a buffer of its own when the ring has no room.
import { describe, expect, it } from 'vitest';
import { ChunkRing } from '../../../../../../electron/services/streams/parallel/ring';

const shared = (b: Buffer) => b.buffer instanceof SharedArrayBuffer;

describe('ChunkRing', () => {
  it('carves buffers in turn and reuses them once released, wrapping around', () => {
    const ring = new ChunkRing(100);
    const a = ring.take(40);
    const b = ring.take(40);
    expect([a.byteOffset, b.byteOffset]).toEqual([0, 40]);
    expect(shared(a) && shared(b)).toBe(true);
    // 20 bytes left at the end, none before a: a buffer of its own
    const c = ring.take(30);
    expect(shared(c)).toBe(false);
    ring.release(); // a
    ring.release(); // b
    ring.release(); // c (its own)
    const d = ring.take(60);
    expect([shared(d), d.byteOffset, d.length]).toEqual([true, 0, 60]);
    // Buffers start 8-byte aligned (chunk tables are Float64Arrays): d holds 64 bytes.
    const e = ring.take(30);
    expect(e.byteOffset).toBe(64);
    ring.release(); // d
    // past e (up to 96) there are only 4 bytes: the next one wraps to the start, freed by d
    const f = ring.take(50);
    expect([shared(f), f.byteOffset]).toEqual([true, 0]);
    // between f (56 bytes) and e: 8 bytes
    expect(shared(ring.take(11))).toBe(false);
    expect(ring.take(8).byteOffset).toBe(56);
  });

  it('gives a buffer of its own for more than the ring holds', () => {
    const ring = new ChunkRing(16);
    expect(shared(ring.take(17))).toBe(false);
    expect(shared(ring.take(16))).toBe(true);
  });
});
