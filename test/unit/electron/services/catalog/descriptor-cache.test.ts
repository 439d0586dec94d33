// Descriptors kept between runs: a run that takes them from the cache must see exactly what a
// run that reads the files sees (documents, findings, lines), and an edited file, another build
// or a broken cache entry must never be served.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DescriptorCache } from '../../../../../electron/services/catalog/descriptor-cache';
import { loadDescriptors, type LoadedDescriptors } from '../../../../../electron/services/catalog/descriptors';
import { loadWorkspace } from '../../../../../electron/services/catalog/workspace';
import { linesSource, parseYaml, type YamlSource } from '../../../../../electron/services/catalog/yaml-source';
import { demoFixture, type Fixture } from '../../../../helpers/workspace-fixture';

/** Every path of a value, and for each a child that does not exist (lineOf walks up from it). */
function pathsOf(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  const out = [path, [...path, 'no-such-key'], [...path, 99]];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...path, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...path, k]));
  return out;
}

const linesOf = (source: YamlSource) => pathsOf(source.value).map((p) => [p.join('.'), source.lineOf(p)]);

function summary(d: LoadedDescriptors) {
  const item = (x: { doc: unknown; source: YamlSource }) => ({ doc: x.doc, file: x.source.file, value: x.source.value, lines: linesOf(x.source) });
  return { products: d.products.map(item), contracts: d.contracts.map(item), findings: d.findings };
}

describe('descriptor cache', () => {
  let fixture: Fixture;
  let dir: string;
  beforeEach(async () => {
    fixture = await demoFixture();
    dir = await mkdtemp(join(tmpdir(), 'dpx-cache-'));
  });
  afterEach(async () => {
    await fixture.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives what reading the files gives: documents, raw values, findings and the line of every path', async () => {
    // A broken file too: it is never kept, and its findings are the same each time.
    await fixture.write('products/broken.odps.yaml', 'apiVersion: v1.0.0\nkind: DataProduct\nid: broken\nstatus: [\n');
    const ws = await loadWorkspace(fixture.dir);
    const read = await loadDescriptors(ws);
    const cache = new DescriptorCache(dir, 'build-1');
    const first = await loadDescriptors(ws, cache);
    expect(await readdir(dir)).toHaveLength(8); // the demo's four products and four contracts
    const second = await loadDescriptors(ws, cache);
    for (const d of [...second.products, ...second.contracts]) expect(d.source).not.toHaveProperty('lines'); // taken from the cache
    expect(summary(first)).toEqual(summary(read));
    expect(summary(second)).toEqual(summary(read));
    expect(second.findings.map((f) => f.rule)).toEqual(['yaml-syntax']);
  });

  it('reads a file again once it changed, and for another build', async () => {
    const ws = await loadWorkspace(fixture.dir);
    const cache = new DescriptorCache(dir, 'build-1');
    await loadDescriptors(ws, cache);
    await fixture.edit('products/sales.orders.odps.yaml', (d) => d.setIn(['name'], 'Orders, renamed'));
    const edited = await loadDescriptors(ws, cache);
    expect(edited.products.find((p) => p.doc.id === 'sales.orders')!.doc.name).toBe('Orders, renamed');
    expect(edited.products.find((p) => p.doc.id === 'sales.orders')!.source).toHaveProperty('lines'); // read, not cached
    const again = await loadDescriptors(ws, cache);
    expect(again.products.find((p) => p.doc.id === 'sales.orders')!.doc.name).toBe('Orders, renamed');
    const other = await loadDescriptors(ws, new DescriptorCache(dir, 'build-2'));
    for (const d of [...other.products, ...other.contracts]) expect(d.source).toHaveProperty('lines');
  });

  it('reads the file when an entry is damaged, and works without a writable cache folder', async () => {
    const ws = await loadWorkspace(fixture.dir);
    const cache = new DescriptorCache(dir, 'build-1');
    const read = await loadDescriptors(ws, cache);
    for (const name of await readdir(dir)) await writeFile(join(dir, name), (await readFile(join(dir, name), 'utf8')).slice(0, 100));
    expect(summary(await loadDescriptors(ws, cache))).toEqual(summary(read));
    const unwritable = new DescriptorCache(join(dir, (await readdir(dir))[0]!, 'below-a-file'), 'build-1');
    expect(summary(await loadDescriptors(ws, unwritable))).toEqual(summary(read));
  });

  it('keeps the workspace file too: the same workspace from the cache, its checks and variables applied on every run', async () => {
    const read = await loadWorkspace(fixture.dir);
    const cache = new DescriptorCache(dir, 'build-1');
    const first = await loadWorkspace(fixture.dir, cache);
    const second = await loadWorkspace(fixture.dir, cache);
    expect(second.source).not.toHaveProperty('lines'); // taken from the cache
    for (const ws of [first, second]) {
      expect({ ...ws, source: null }).toEqual({ ...read, source: null });
      expect(linesOf(ws.source)).toEqual(linesOf(read.source));
    }
    // ${VAR} in connections takes the environment's value of this run, cached or not.
    await fixture.edit('dpx.workspace.yaml', (d) => d.setIn(['connections', 'sales-events'], d.createNode({ type: 'kafka', bootstrap: '${DPX_TEST_BROKER:-127.0.0.1:1}' })));
    await loadWorkspace(fixture.dir, cache);
    process.env['DPX_TEST_BROKER'] = '127.0.0.1:2';
    try {
      const ws = await loadWorkspace(fixture.dir, cache);
      expect(ws.source).not.toHaveProperty('lines');
      expect(ws.config.connections['sales-events']).toMatchObject({ bootstrap: '127.0.0.1:2' });
    } finally {
      delete process.env['DPX_TEST_BROKER'];
    }
    // A literal secret is refused every time, and never kept.
    await fixture.edit('dpx.workspace.yaml', (d) => d.setIn(['connections', 'sales-events', 'sasl'], d.createNode({ mechanism: 'plain', username: 'u', password: 'hunter2' })));
    const entries = (await readdir(dir)).length;
    for (let i = 0; i < 2; i++) await expect(loadWorkspace(fixture.dir, cache)).rejects.toMatchObject({ code: 'WORKSPACE_UNREADABLE', message: expect.stringContaining('secrets must not be written') });
    const kept = await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')));
    expect(kept.length).toBe(entries);
    expect(kept.some((t) => t.includes('hunter2'))).toBe(false);
  });

  it('finds the lines of keys, list items, nested values and missing paths as the parser does', () => {
    const text = ['id: x', 'ports:', '  - name: a', '    tags: [t1, t2]', '  - name: b', 'nested:', '  deep:', '    deeper: 1', "'quoted key': 2", '7: seven', ''].join('\n');
    const r = parseYaml('f.yaml', text);
    if (!r.ok) throw new Error(r.message);
    const table = r.source.lines();
    expect(table['["ports",1,"name"]']).toBe(5);
    expect(table['["nested","deep","deeper"]']).toBe(8);
    expect(table['["quoted key"]']).toBe(9);
    expect(table['[7]']).toBe(10);
    const cached = linesSource('f.yaml', r.source.value, table);
    const paths = [...pathsOf(r.source.value), ['ports', 0, 'tags', 1], ['ports', 5], [7], ['7']];
    expect(paths.map((p) => cached.lineOf(p))).toEqual(paths.map((p) => r.source.lineOf(p)));
  });
});
