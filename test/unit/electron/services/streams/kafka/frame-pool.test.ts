// The memory of fetch answers, reused once the reader gives it back: never while any loan of it
// is live, whatever the reader gives back.
import { describe, expect, it } from 'vitest';
import { FramePool } from '../../../../../../electron/services/streams/kafka/frame-pool';

describe('FramePool', () => {
  it('lends frames of the asked size and reuses the memory of one given back', () => {
    const pool = new FramePool();
    const a = pool.take(300_000);
    expect(a.length).toBe(300_000);
    pool.giveBack(a);
    const b = pool.take(700_000);
    expect(b.length).toBe(700_000);
    expect(b.buffer).toBe(a.buffer);
    // Too big for what was given back: fresh memory, and the spare stays for a later answer.
    const big = pool.take(5_000_000);
    expect(big.buffer).not.toBe(a.buffer);
    pool.giveBack(b);
    pool.giveBack(big);
    expect(pool.take(4_000_000).buffer).toBe(big.buffer);
    expect(pool.take(10).buffer).toBe(a.buffer);
  });

  it('ignores what it did not lend, and a stale loan of memory lent again', () => {
    const pool = new FramePool();
    const a = pool.take(100_000);
    pool.giveBack(a);
    const b = pool.take(100_000);
    expect(b.buffer).toBe(a.buffer);
    // `a` is an old loan of the memory `b` now holds: giving it back again changes nothing.
    pool.giveBack(a);
    pool.giveBack(Buffer.alloc(100_000));
    pool.giveBack(b.subarray(0, 10));
    expect(pool.take(100_000).buffer).not.toBe(b.buffer);
    // Given back twice, lent once.
    pool.giveBack(b);
    pool.giveBack(b);
    const c = pool.take(100_000);
    const d = pool.take(100_000);
    expect(c.buffer).toBe(b.buffer);
    expect(d.buffer).not.toBe(b.buffer);
  });

  it('keeps at most four frames aside', () => {
    const pool = new FramePool();
    const frames = Array.from({ length: 5 }, () => pool.take(1000));
    for (const f of frames) pool.giveBack(f);
    const again = Array.from({ length: 5 }, () => pool.take(1000).buffer);
    expect(again.filter((m) => frames.some((f) => f.buffer === m))).toHaveLength(4);
  });

  it('carves the room after an answer asked with room, aligned, until it is used up or given back', () => {
    const pool = new FramePool();
    const plain = pool.take(1000);
    expect(pool.carve(plain.buffer, 8)).toBe(-1);
    const frame = pool.take(1001, true);
    expect(frame.buffer).toBeInstanceOf(SharedArrayBuffer);
    const memory = frame.buffer;
    expect(pool.carve(memory, 10)).toBe(1008);
    expect(pool.carve(memory, 8)).toBe(1024);
    expect(pool.carve(memory, memory.byteLength)).toBe(-1);
    expect(pool.carve(new SharedArrayBuffer(64), 8)).toBe(-1);
    pool.giveBack(frame);
    expect(pool.carve(memory, 8)).toBe(-1); // not lent: nothing to carve
    const again = pool.take(500, true);
    expect(again.buffer).toBe(memory);
    expect(pool.carve(memory, 8)).toBe(504);
  });
});
