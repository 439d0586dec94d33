// Tails replayed from the demo's capture files: the same engine, decoding, validation and filter
// a live Kafka tail uses, with no broker needed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage, TailEvent, TailRequest } from '../../../../../shared/model/stream';
import { openServices, type Services } from '../../../../../electron/services/services';
import { withConnection, sqlString } from '../../../../../electron/services/sql/duckdb';
import { DEMO } from '../../../../helpers/workspace-fixture';

async function tail(services: Services, req: Partial<TailRequest>, captureFile?: string) {
  const events: TailEvent[] = [];
  const result = await services.streams.tail({ target: { product: 'sales.orders' }, from: { kind: 'earliest' }, toEnd: true, ...req } as TailRequest, (e) => events.push(e), new AbortController().signal, captureFile);
  const messages = events.flatMap((e) => (e.kind === 'messages' ? e.messages : []));
  return { result, events, messages };
}

describe('tail over a capture (demo sales.orders)', () => {
  let services: Services;
  let dir: string;
  beforeAll(async () => {
    services = await openServices({ workspace: DEMO });
    dir = await mkdtemp(join(tmpdir(), 'dpx-cap-'));
  });
  afterAll(async () => {
    await services.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every message once, in offset order per partition, and measures the pass rate', async () => {
    const { result, messages, events } = await tail(services, {});
    expect(result.stats).toMatchObject({ scanned: 15000, matched: 15000, checked: 15000, passed: 14995 });
    for (const p of [0, 1, 2]) {
      const offsets = messages.filter((m) => m.partition === p).map((m) => m.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    const started = events.find((e) => e.kind === 'started');
    expect(started).toMatchObject({ topic: 'sales.orders.v1', validating: true, promise: 0.9999, live: false });
    expect(events.at(-1)).toMatchObject({ kind: 'status', state: 'ended' });
  });

  it('shows the poison message raw with the decode error and goes on', async () => {
    const { messages } = await tail(services, {});
    const poison = messages.filter((m) => m.valueEncoding === 'base64');
    expect(poison).toHaveLength(1);
    expect(poison[0]).toMatchObject({ key: 'O-00007001', valid: false, errors: ['value: not JSON: the bytes are not valid UTF-8'] });
    expect(Buffer.from(poison[0]!.value as string, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
  });

  it('names every contract failure of the planted broken orders', async () => {
    const { messages } = await tail(services, {});
    const failed = messages.filter((m) => m.valid === false && m.valueEncoding === 'json');
    expect(failed.map((m) => m.errors).flat().sort()).toEqual([
      'amount: -258.38 must be > 0',
      'amount: -399.05 must be > 0',
      'customer_id: required',
      'store_id: "S99" is not one of S01, S02, S03, S04, S05, S06, S07, S08, WEB (invalidValues)',
    ]);
  });

  it('filters with the SQL WHERE language over value, key, headers and metadata', async () => {
    const one = await tail(services, { filter: "value.store_id = 'S99'" });
    expect(one.messages.map((m) => m.key)).toEqual(['O-00011112']);
    expect(one.result.stats).toMatchObject({ scanned: 15000, matched: 1 });
    const headers = await tail(services, { filter: "headers.source = 'web' AND value.amount > 500 AND partition = 1" });
    expect(headers.messages.length).toBeGreaterThan(0);
    expect(headers.messages.every((m: StreamMessage) => m.partition === 1 && (m.value as { channel: string; amount: number }).channel === 'web' && (m.value as { amount: number }).amount > 500)).toBe(true);
    const keys = await tail(services, { filter: "key LIKE 'O-0000001_'" });
    expect(keys.messages.map((m) => m.key).sort()).toEqual(['O-00000010', 'O-00000011', 'O-00000012', 'O-00000013', 'O-00000014', 'O-00000015', 'O-00000016', 'O-00000017', 'O-00000018', 'O-00000019']);
  });

  it('refuses a broken filter with line and column, before reading anything', async () => {
    await expect(tail(services, { filter: 'value.amount >' })).rejects.toMatchObject({ code: 'BAD_REQUEST', details: { line: 1, column: 15 } });
    await expect(tail(services, { filter: "read_csv('/etc/passwd')" })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('read_csv') });
  });

  it('starts where asked: last N, offsets, a time; on chosen partitions; up to a limit', async () => {
    const last = await tail(services, { from: { kind: 'last', n: 2 } });
    expect(last.messages).toHaveLength(6);
    const offsets = await tail(services, { from: { kind: 'offsets', offsets: { '1': 5000 } }, partitions: [1] });
    expect(offsets.messages.every((m) => m.partition === 1 && m.offset >= 5000)).toBe(true);
    const at = Date.parse('2026-10-30T00:00:00Z');
    const recent = await tail(services, { from: { kind: 'timestamp', at } });
    expect(recent.messages.length).toBeGreaterThan(400);
    expect(recent.messages.every((m) => m.timestamp >= at)).toBe(true);
    const range = await tail(services, { from: { kind: 'timestamp', at }, until: at + 3_600_000 });
    expect(range.messages.every((m) => m.timestamp >= at && m.timestamp <= at + 3_600_000)).toBe(true);
    const limited = await tail(services, { limit: 7, partitions: [2] });
    expect(limited.messages.map((m) => m.offset)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(limited.result.reason).toBe('limit');
    const bounded = await tail(services, { maxScanned: 100, filter: 'value.amount > 500' });
    expect(bounded.result.stats.scanned).toBe(100);
  });

  it('records what it reads to a capture that replays the same bytes', async () => {
    const file = join(dir, 'orders-copy.parquet');
    const first = await tail(services, { filter: "value.store_id = 'WEB'" }, file);
    const copy = await withConnection(async (c) => (await c.runAndReadAll(`SELECT count(*), count(DISTINCT "key") FROM read_parquet(${sqlString(file)})`)).getRows());
    // A capture records every message read (the filter only narrows what is shown).
    expect(copy).toEqual([[15000n, 15000n]]);
    const same = await withConnection(async (c) =>
      (await c.runAndReadAll(`SELECT count(*) FROM (SELECT * FROM read_parquet(${sqlString(join(DEMO, 'captures/sales.orders.v1.parquet'))}) EXCEPT SELECT * FROM read_parquet(${sqlString(file)}))`)).getRows(),
    );
    expect(same).toEqual([[0n]]);
    expect(first.result.stats.matched).toBeGreaterThan(0);
  });

  it('reports stream info and fetches one raw message', async () => {
    const info = await services.streams.info({ product: 'sales.orders' });
    expect(info).toMatchObject({ topic: 'sales.orders.v1', live: false, format: 'json', validating: true, promise: 0.9999 });
    expect(info.partitions.map((p) => p.high - p.low).reduce((a, b) => a + b)).toBe(15000);
    const raw = await services.streams.message({ product: 'sales.orders' }, 2, 2502);
    expect(Buffer.from(raw.key!, 'base64').toString()).toBe('O-00007001');
    expect(Buffer.from(raw.value!, 'base64')[0]).toBe(0xff);
    await expect(services.streams.message({ product: 'sales.orders' }, 2, 999999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('explains why a product without a stream cannot be tailed', async () => {
    await expect(services.streams.info({ product: 'sales.daily-totals' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('no stream port') });
  });
});
