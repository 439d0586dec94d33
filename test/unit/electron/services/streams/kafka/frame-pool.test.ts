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

  it('keeps at most two frames aside', () => {
    const pool = new FramePool();
    const frames = [pool.take(1000), pool.take(1000), pool.take(1000)];
    for (const f of frames) pool.giveBack(f);
    const again = [pool.take(1000), pool.take(1000), pool.take(1000)].map((f) => f.buffer);
    expect(again.filter((m) => frames.some((f) => f.buffer === m))).toHaveLength(2);
  });
});
