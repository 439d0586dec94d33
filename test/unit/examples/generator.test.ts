// The shipped demo data is exactly what the seeded generator makes, and stays within budget.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKEN_ORDERS, DEMO_DEFAULTS, generate } from '../../../examples/generator/generate';
import { DEMO } from '../../helpers/workspace-fixture';
import { filesUnder } from '../../helpers/files';

async function digest(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const sub of ['snapshots', 'captures']) {
    for (const f of await filesUnder(join(root, sub))) out[relative(root, f)] = createHash('sha256').update(await readFile(f)).digest('hex');
  }
  return out;
}

describe('demo generator', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'dpx-gen-'));
    await generate({ ...DEMO_DEFAULTS, out });
  }, 120_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('reproduces the shipped demo byte for byte', async () => {
    const [made, shipped] = await Promise.all([digest(out), digest(DEMO)]);
    expect(Object.keys(made)).toHaveLength(4 * 30 + 2);
    expect(made).toEqual(shipped);
  });

  it('keeps the shipped demo workspace within 20 MB', async () => {
    const sizes = await Promise.all((await filesUnder(DEMO)).map((f) => stat(f).then((s) => s.size)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(20 * 1024 * 1024);
  });

  it('writes fact snapshots holding exactly the events of their day, and the planted contract breaks', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`SET TimeZone = 'UTC'`);
    const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRowsJS();
    const snap = `read_parquet('${out}/snapshots/sales.orders/*/*.parquet', hive_partitioning = true)`;
    expect(await rows(`SELECT count(*) FROM ${snap} WHERE CAST(ordered_at AS DATE) <> "date"`)).toEqual([[0n]]);
    expect(await rows(`SELECT count(*) FROM ${snap}`)).toEqual([[BigInt(DEMO_DEFAULTS.days * DEMO_DEFAULTS.ordersPerDay)]]);
    expect(await rows(`SELECT count(*) FROM ${snap} WHERE amount <= 0`)).toEqual([[BigInt(BROKEN_ORDERS.negativeAmount.length)]]);
    expect(await rows(`SELECT count(*) FROM ${snap} WHERE customer_id IS NULL`)).toEqual([[1n]]);
    const capture = `read_parquet('${out}/captures/sales.orders.v1.parquet')`;
    // The capture holds every order once, with gap-free offsets per partition.
    expect(await rows(`SELECT count(*), count(DISTINCT decode("key")) FROM ${capture}`)).toEqual([[15000n, 15000n]]);
    expect(await rows(`SELECT bool_and(n = max_off + 1) FROM (SELECT partition, count(*) AS n, max("offset") AS max_off FROM ${capture} GROUP BY 1)`)).toEqual([[true]]);
    c.closeSync();
    db.closeSync();
  });
});
