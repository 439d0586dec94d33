// `dpx tail` as a process over the real broker. A large tail (≥ WORKER_THRESHOLD messages known
// to wait) is decoded, checked and formatted on worker threads; a small one on the main thread.
// Both must print the same bytes, so each large case runs twice: with the default threads and
// with DPX_TAIL_THREADS=0 (main thread only), and the outputs are compared whole.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_THRESHOLD } from '../../../electron/services/streams/parallel/plan';
import { produce } from '../../helpers/kafka';
import { orderMessages, T0 } from '../../helpers/orders';
import { demoFixture, type Fixture } from '../../helpers/workspace-fixture';
import { readInfraEnv } from '../../infra/env';

const BIN = resolve(import.meta.dirname, '../../../bin/dpx.js');
const env = readInfraEnv().kafka!;
/** Enough messages that the whole-topic tails below take the worker path. */
const TOTAL = 60_000;
const PER_PARTITION = TOTAL / 3;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function dpx(args: string[], threads?: number): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...(threads !== undefined ? { DPX_TAIL_THREADS: String(threads) } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A tail that never ends (a bug, or a test that forgot --to-end) must not outlive the test.
    timeout: 100_000,
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

interface Line {
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: unknown;
  headers: Array<{ key: string; value: string | null }>;
  valid: boolean | null;
  errors: string[];
}

const lines = (r: Run): Line[] =>
  r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

describe('dpx tail over the real broker', { timeout: 120_000 }, () => {
  const topic = `dpx-it-cli-${randomUUID().slice(0, 8)}`;
  let fixture: Fixture;
  const product = () => ['tail', 'sales.orders', '--workspace', fixture.dir];

  beforeAll(async () => {
    expect(TOTAL).toBeGreaterThanOrEqual(WORKER_THRESHOLD);
    fixture = await demoFixture();
    await fixture.edit('dpx.workspace.yaml', (d) => d.setIn(['connections', 'sales-events'], d.createNode({ type: 'kafka', bootstrap: env.bootstrap })));
    await fixture.edit('contracts/sales.orders.odcs.yaml', (d) => d.setIn(['servers', 0, 'customProperties'], d.createNode([{ property: 'topic', value: topic }])));
    await produce(env.bootstrap, topic, orderMessages(0, TOTAL), { create: true, clientId: 'dpx-it-cli' });
  });
  afterAll(async () => {
    await fixture?.dispose();
  });

  it('--from earliest --limit N prints exactly the N messages in per-partition offset order, checked, the same on workers and on the main thread', async () => {
    const args = [...product(), '--from', 'earliest', '--limit', String(TOTAL), '--json'];
    const [workers, main] = await Promise.all([dpx(args), dpx(args, 0)]);
    expect(workers.code, workers.stderr).toBe(0);
    expect(main.code, main.stderr).toBe(0);
    expect(workers.stdout === main.stdout).toBe(true);

    const got = lines(workers);
    expect(got).toHaveLength(TOTAL);
    // Each line holds its own record's value (fetch answers' memory takes later answers once their lines are written).
    expect(got.filter((m) => (m.value as { order_id?: string } | null)?.order_id !== m.key).map((m) => m.key)).toEqual(['O-00000100']);
    for (const p of [0, 1, 2]) {
      const offsets = got.filter((m) => m.partition === p).map((m) => m.offset);
      expect(offsets).toEqual(Array.from({ length: PER_PARTITION }, (_, i) => i));
    }
    const byKey = new Map(got.map((m) => [m.key, m]));
    expect(byKey.get('O-00000005')).toMatchObject({ partition: 2, offset: 1, timestamp: T0 + 5 * 60_000, headers: [{ key: 'source', value: 'web' }], valid: true, errors: [] });
    expect((byKey.get('O-00000005')!.value as { order_id: string }).order_id).toBe('O-00000005');
    expect(byKey.get('O-00000007')).toMatchObject({ valid: false, errors: ['amount: -1 must be > 0'] });
    expect(byKey.get('O-00000042')!.errors[0]).toMatch(/^store_id: "S99" is not one of/);
    // The poison message is printed (raw, with its decode error) and the tail goes on past it.
    expect(byKey.get('O-00000100')).toMatchObject({ valid: false, errors: ['value: not JSON: the bytes are not valid UTF-8'] });
    expect(got.filter((m) => m.valid === false).map((m) => m.key).sort()).toEqual(['O-00000007', 'O-00000042', 'O-00000100']);
  });

  it('a filter over the whole topic matches the same messages on workers and on the main thread', async () => {
    const args = [...product(), '--from', 'earliest', '--to-end', '--filter', "value.store_id = 'WEB' AND headers.source = 'web'", '--json'];
    const [workers, main] = await Promise.all([dpx(args), dpx(args, 0)]);
    expect(workers.code, workers.stderr).toBe(0);
    expect(workers.stdout === main.stdout).toBe(true);
    const got = lines(workers);
    // WEB is the store of every third order (i % 3 = 2), all in partition 2.
    expect(got).toHaveLength(PER_PARTITION);
    expect(got.every((m) => m.partition === 2 && (m.value as { store_id: string }).store_id === 'WEB')).toBe(true);
  });

  it('a limit with a rare filter: what waits between reads is what was read (fetch memory is reused only once written out)', async () => {
    // Records wait as runs while chunks of 256 are checked against the filter, and the client
    // reads ahead meanwhile: had their fetch answer's memory been reused too early, they would
    // show later answers' bytes.
    const args = [...product(), '--from', 'earliest', '--filter', "value.order_id LIKE '%999'", '--limit', '40', '--json'];
    for (const run of await Promise.all([dpx(args), dpx(args, 0)])) {
      expect(run.code, run.stderr).toBe(0);
      const got = lines(run);
      expect(got).toHaveLength(40);
      for (const m of got) {
        expect(m.key).toMatch(/^O-\d{5}999$/);
        expect((m.value as { order_id: string }).order_id).toBe(m.key);
        expect(m.partition).toBe(Number(m.key!.slice(2)) % 3);
      }
    }
  });

  it('prints readable lines the same way on workers and on the main thread', async () => {
    const args = [...product(), '--from', 'earliest', '--limit', String(TOTAL)];
    const [workers, main] = await Promise.all([dpx(args), dpx(args, 0)]);
    expect(workers.code, workers.stderr).toBe(0);
    expect(workers.stdout === main.stdout).toBe(true);
    const text = workers.stdout.split('\n').filter(Boolean);
    expect(text).toHaveLength(TOTAL);
    expect(text.find((l) => l.includes(' O-00000007 '))).toMatch(/^✗ p1@2 2026-10-01T00:07:00\.000Z O-00000007 \{.*\} {2}← amount: -1 must be > 0$/);
    expect(workers.stderr).toContain(`${TOTAL - 3}/${TOTAL} passed the contract`);
  });

  it('small tails: a limit on chosen partitions, and a raw topic by name', async () => {
    const few = await dpx([...product(), '--from', 'earliest', '--partitions', '1', '--limit', '5', '--json']);
    expect(few.code, few.stderr).toBe(0);
    expect(lines(few).map((m) => `${m.partition}@${m.offset} ${m.key}`)).toEqual(['1@0 O-00000001', '1@1 O-00000004', '1@2 O-00000007', '1@3 O-00000010', '1@4 O-00000013']);

    const raw = await dpx(['tail', '--topic', topic, '--bootstrap', env.bootstrap, '--from', 'earliest', '--partitions', '0', '--limit', '2', '--json']);
    expect(raw.code, raw.stderr).toBe(0);
    const got = lines(raw);
    expect(got.map((m) => [m.key, (m.value as { order_id: string }).order_id, m.valid])).toEqual([
      ['O-00000000', 'O-00000000', null],
      ['O-00000003', 'O-00000003', null],
    ]);
  });
});
