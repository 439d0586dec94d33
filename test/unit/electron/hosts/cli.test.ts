// The `dpx` command as users and scripts run it: a real process, its stdout, stderr and exit code.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoFixture, type Fixture } from '../../../helpers/workspace-fixture';

const BIN = resolve(import.meta.dirname, '../../../../bin/dpx.js');

function dpx(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dpx CLI', { timeout: 30_000 }, () => {
  let fixture: Fixture | null = null;
  afterEach(async () => {
    await fixture?.dispose();
    fixture = null;
  });

  it('catalog list --json prints every demo product with the documented fields', () => {
    const r = dpx('catalog', 'list', '--json');
    expect(r.code).toBe(0);
    const products = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const byId = Object.fromEntries(products.map((p) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual(['customers.profile', 'marketing.ad-targeting', 'sales.daily-totals', 'sales.orders']);
    expect(byId['sales.orders']).toMatchObject({ name: 'Orders', domain: 'sales', owner: 'sales-platform', alignment: 'source', tier: 'silver', modes: ['stream', 'batch', 'rest'] });
    expect(byId['sales.daily-totals']).toMatchObject({ alignment: 'aggregate', tier: 'gold', modes: ['batch'] });
    expect(byId['customers.profile']).toMatchObject({ alignment: 'source', tier: 'bronze', modes: ['stream', 'batch'] });
    expect(byId['marketing.ad-targeting']).toMatchObject({ alignment: 'consumer', tier: 'silver', modes: ['batch', 'rest'] });
  });

  it('catalog list prints a readable table', () => {
    const r = dpx('catalog', 'list');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+DOMAIN\s+OWNER\s+ALIGNMENT\s+TIER\s+MODES/);
    expect(r.stdout).toMatch(/sales\.orders\s+Orders\s+sales\s+sales-platform\s+source\s+silver\s+stream,batch,rest/);
  });

  it('catalog show gives ports, schema, lineage and snapshot days', () => {
    const r = dpx('catalog', 'show', 'sales.orders', '--json');
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.ports.map((x: { mode: string; address: string }) => `${x.mode} ${x.address}`)).toEqual([
      'stream kafka://kafka.sales.acme.example:9092/sales.orders.v1',
      'batch s3://acme-lake/sales.orders/',
      'rest https://api.acme.example/sales/orders/v1',
    ]);
    expect(p.relation).toEqual({ kind: 'fact', keyField: 'order_id', eventTimeField: 'ordered_at' });
    expect(p.consumers.sort()).toEqual(['marketing.ad-targeting', 'sales.daily-totals']);
    expect(p.schema[0].fields.find((f: { name: string }) => f.name === 'order_id')).toMatchObject({ primaryKey: true, required: true, logicalType: 'string' });
    expect(p.snapshots).toHaveLength(30);
    expect(p.snapshots[0]).toMatchObject({ date: '2026-10-01', files: 1 });
    const text = dpx('catalog', 'show', 'sales.orders');
    expect(text.stdout).toContain('silver (promises ≥ 99.99 % of records pass)');
  });

  it('catalog show of an unknown product is a usage error (exit 2)', () => {
    const r = dpx('catalog', 'show', 'no.such');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No product "no.such"');
  });

  it('lint --json on the demo: no findings, exit 0', () => {
    const r = dpx('lint', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ findings: [] });
  });

  it('lint exits 1 with findings that name product, rule, severity, file and line', async () => {
    fixture = await demoFixture();
    await fixture.edit('contracts/customers.profile.odcs.yaml', (d) => d.setIn(['team', 'name'], 'marketing'));
    await fixture.write('products/broken.odps.yaml', 'kind: DataProduct\nid: x\n  bad: indent\n');
    const r = dpx('--workspace', fixture.dir, 'lint', '--json');
    expect(r.code).toBe(1);
    const { findings } = JSON.parse(r.stdout);
    for (const f of findings) expect(Object.keys(f).sort()).toEqual(['file', 'line', 'message', 'product', 'rule', 'severity']);
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ product: 'customers.profile', rule: 'owner-mismatch', severity: 'error', line: 12 }),
        expect.objectContaining({ product: 'broken.odps.yaml', rule: 'yaml-syntax', severity: 'error', line: 2 }),
      ]),
    );
    const list = dpx('--workspace', fixture.dir, 'catalog', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveLength(4);
    expect(list.stderr).toContain('broken.odps.yaml:2');
  });

  it('an unreadable workspace is exit 2 with the file and line', async () => {
    expect(dpx('--workspace', '/nonexistent/ws', 'catalog', 'list').code).toBe(2);
    fixture = await demoFixture();
    await fixture.write('dpx.workspace.yaml', 'apiVersion: dpx/v1\nkind: Workspace\nname: x\ndescriptors: [products]\nconnections:\n  k:\n    type: kafka\n    bootstrap: localhost:9092\n    password: hunter2\n');
    const r = dpx('--workspace', fixture.dir, 'catalog', 'list');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dpx\.workspace\.yaml:9: connections\.k\.password: secrets must not be written in workspace files; name it instead, e\.g\. passwordRef: env:MY_PASSWORD/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('unknown commands and options are usage errors (exit 2)', () => {
    expect(dpx('frobnicate').code).toBe(2);
    expect(dpx('catalog', 'list', '--bogus').code).toBe(2);
    expect(dpx('serve', '--port', 'eighty').code).toBe(2);
  });

  it('snapshots --json lists every day with date, files, rows and bytes from the footers', () => {
    const r = dpx('snapshots', 'sales.orders', '--json');
    expect(r.code).toBe(0);
    const days = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(days).toHaveLength(30);
    expect(days[0]).toMatchObject({ date: '2026-10-01', files: 1, rows: 500, bytes: expect.any(Number), schemaOk: true });
  });

  it('sql prints JSON rows, CSV, and exits 1 with the position on a SQL error', () => {
    const json = dpx('sql', 'SELECT store_id, count(*) AS n FROM sales.orders GROUP BY ALL ORDER BY 1 LIMIT 2', '--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { store_id: 'S01', n: expect.any(Number) },
      { store_id: 'S02', n: expect.any(Number) },
    ]);
    const csv = dpx('sql', "SELECT order_id, amount FROM dpx_snapshot('sales.orders', DATE '2026-10-01') ORDER BY order_id LIMIT 2", '--format', 'csv');
    expect(csv.stdout.split('\n')[0]).toBe('order_id,amount');
    expect(csv.stdout.split('\n')).toHaveLength(4);
    const bad = dpx('sql', 'SELECT * FORM x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/syntax error at or near "x" \(line 1, column 15\)/);
  });

  it('sql writes to whatever standard output is: a shell pipe, a file appended to, a socket', async () => {
    const query = `"SELECT order_id FROM dpx_snapshot('sales.orders', DATE '2026-10-01') ORDER BY order_id LIMIT 3"`;
    // A pipe: DuckDB writes to it directly.
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" sql ${query} --format csv | cat`], { encoding: 'utf8', timeout: 60_000 });
    expect(piped.status).toBe(0);
    const rows = piped.stdout.trim().split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toBe('order_id');
    // A file opened for appending: what was there stays (DuckDB would truncate it if it opened it).
    const dir = await mkdtemp(join(tmpdir(), 'dpx-cli-'));
    try {
      const log = join(dir, 'log.csv');
      await writeFile(log, 'earlier line\n');
      const appended = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" sql ${query} --format csv >> "${log}"`], { encoding: 'utf8', timeout: 60_000 });
      expect(appended.status).toBe(0);
      expect(await readFile(log, 'utf8')).toBe(`earlier line\n${piped.stdout}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // A socket (how spawnSync wires stdout): through the relay, same bytes.
    expect(dpx('sql', query.slice(1, -1), '--format', 'csv').stdout).toBe(piped.stdout);
  });

  it('tail --json replays the demo capture: exactly N messages in per-partition offset order', () => {
    const r = dpx('tail', 'sales.orders', '--from', 'earliest', '--limit', '5', '--partitions', '1', '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((m) => [m.partition, m.offset])).toEqual([[1, 0], [1, 1], [1, 2], [1, 3], [1, 4]]);
    for (const m of lines) expect(Object.keys(m)).toEqual(expect.arrayContaining(['partition', 'offset', 'timestamp', 'key', 'value', 'valid', 'errors']));
    const filtered = dpx('tail', 'sales.orders', '--from', 'earliest', '--to-end', '--filter', "value.store_id = 'S99'", '--json');
    expect(filtered.stdout.trim().split('\n').map((l) => JSON.parse(l).key)).toEqual(['O-00011112']);
    expect(dpx('tail', 'sales.orders', '--filter', 'value.amount >').code).toBe(2);
  });
});
