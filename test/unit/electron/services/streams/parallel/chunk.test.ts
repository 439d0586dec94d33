// Chunks: the records' tables travel in the chunk's own (shared) buffer, and the tables a builder
// fills are reused by the next builder without one chunk seeing another's rows.
import { describe, expect, it } from 'vitest';
import { ChunkBuilder, chunkTables, REC, R_KEY, R_KEY_LEN, R_OFFSET } from '../../../../../../electron/services/streams/parallel/chunk';
import { ChunkRing } from '../../../../../../electron/services/streams/parallel/ring';

const record = (offset: number, key: string) => ({ offset, timestamp: 1_790_000_000_000 + offset, key: Buffer.from(key), value: Buffer.from(`{"n":${offset}}`), headers: [{ key: 'source', value: Buffer.from('web') }] });

describe('ChunkBuilder', () => {
  it('puts the tables in the chunk buffer (shared with workers) and reuses its scratch tables safely', () => {
    const ring = new ChunkRing(1 << 20);
    const tables = chunkTables(2);
    const first = new ChunkBuilder(3, tables);
    for (let i = 0; i < 3; i++) first.add(0, record(i, `a${i}`));
    const a = first.build((n) => ring.take(n));
    const second = new ChunkBuilder(5, tables);
    for (let i = 0; i < 5; i++) second.add(1, record(100 + i, `bb${i}`));
    const b = second.build((n) => ring.take(n));

    for (const c of [a, b]) {
      expect(c.recs.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(c.hdrs.buffer).toBe(c.recs.buffer);
      expect(c.data.buffer).toBe(c.recs.buffer);
      expect(c.recs.byteOffset % 8).toBe(0);
    }
    // The first chunk keeps its own rows and bytes after the second was built from the same tables.
    const rows = (c: typeof a) => Array.from({ length: c.count }, (_, i) => {
      const at = i * REC;
      return [c.recs[at + R_OFFSET], Buffer.from(c.data.subarray(c.recs[at + R_KEY]!, c.recs[at + R_KEY]! + c.recs[at + R_KEY_LEN]!)).toString()];
    });
    expect(rows(a)).toEqual([[0, 'a0'], [1, 'a1'], [2, 'a2']]);
    expect(rows(b)).toEqual([0, 1, 2, 3, 4].map((i) => [100 + i, `bb${i}`]));
    expect(Array.from(a.hdrs)).toHaveLength(9);
    // The scratch tables grew for five records and are kept for the next builder.
    expect(tables.recs.length).toBeGreaterThanOrEqual(5 * REC);
  });
});
