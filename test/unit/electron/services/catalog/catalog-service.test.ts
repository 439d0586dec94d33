// The catalog model read from the demo's ODPS + ODCS descriptors, and how bad input is survived.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CatalogService } from '../../../../../electron/services/catalog/catalog-service';
import { DEMO, demoFixture, type Fixture } from '../../../../helpers/workspace-fixture';

describe('catalog on the demo workspace', () => {
  let catalog: CatalogService;
  beforeAll(async () => {
    catalog = await CatalogService.open(DEMO);
  });

  it('reads owner, SLA, tier promise, alignment, status and version', () => {
    const p = catalog.get('sales.orders');
    expect(p.owner).toMatchObject({ name: 'sales-platform', email: 'ana.silva@acme.example' });
    expect(p.owner.support.map((s) => s.channel)).toEqual(['#sales-data', 'sales-data issues']);
    expect(p.sla).toContainEqual({ property: 'latency', value: 5, unit: 's', element: 'orders.ordered_at' });
    expect(p).toMatchObject({ tier: 'silver', tierPromise: 0.9999, alignment: 'source', status: 'active', version: '1.4.0' });
    expect(catalog.get('sales.daily-totals')).toMatchObject({ tier: 'gold', tierPromise: 0.999999, alignment: 'aggregate' });
    expect(catalog.get('customers.profile')).toMatchObject({ tier: 'bronze', tierPromise: null, alignment: 'source' });
  });

  it('maps contract servers to ports, with how this workspace reaches them', () => {
    const ports = catalog.get('sales.orders').ports;
    expect(ports.map((p) => [p.mode, p.name, p.topic ?? p.location ?? p.url])).toEqual([
      ['stream', 'sales-events', 'sales.orders.v1'],
      ['batch', 'lake', 's3://acme-lake/sales.orders/'],
      ['rest', 'sales-api', 'https://api.acme.example/sales/orders/v1'],
    ]);
    expect(ports[0]!.via).toMatch(/^captures in .*examples\/demo\/captures$/);
    expect(ports[1]).toMatchObject({ layout: 'date=YYYY-MM-DD/*.parquet', format: 'parquet', owner: 'sales-platform' });
  });

  it('reads schema fields with types, keys, nesting and quality rules', () => {
    const [orders] = catalog.get('sales.orders').schema;
    expect(orders!.physicalName).toBe('sales.orders.v1');
    const byName = Object.fromEntries(orders!.fields.map((f) => [f.name, f]));
    expect(byName.order_id).toMatchObject({ primaryKey: true, required: true, unique: true, logicalType: 'string', physicalType: 'VARCHAR' });
    expect(byName.customer_id!.quality).toEqual([{ field: 'customer_id', type: 'library', summary: 'nullValues = 0', dimension: 'completeness' }]);
    expect(byName.amount!.quality[0]!.summary).toBe('sql: SELECT COUNT(*) FROM orders WHERE amount <= 0 = 0');
    expect(byName.items!.children[0]!.children.map((c) => c.path)).toEqual(['items.item.sku', 'items.item.qty', 'items.item.unit_price']);
    expect(orders!.quality.map((q) => q.summary)).toEqual(['duplicateValues {"properties":["order_id"]} = 0', 'rowCount > 0']);
  });

  it('reads the stream relation of each kind', () => {
    expect(catalog.get('sales.orders').relation).toEqual({ kind: 'fact', keyField: 'order_id', eventTimeField: 'ordered_at' });
    expect(catalog.get('customers.profile').relation).toEqual({ kind: 'state', keyField: 'customer_id', eventTimeField: 'updated_at' });
    expect(catalog.get('sales.daily-totals').relation).toMatchObject({ kind: 'aggregate', keyField: 'day', aggregateOf: 'sales.orders' });
  });

  it('builds lineage both ways, transitively', () => {
    expect(catalog.get('sales.orders').consumers.sort()).toEqual(['marketing.ad-targeting', 'sales.daily-totals']);
    const lineage = catalog.lineage('marketing.ad-targeting');
    expect(lineage.nodes.map((n) => n.id).sort()).toEqual(['customers.profile', 'marketing.ad-targeting', 'sales.orders']);
    expect(lineage.edges).toEqual(expect.arrayContaining([{ from: 'sales.orders', to: 'marketing.ad-targeting' }, { from: 'customers.profile', to: 'marketing.ad-targeting' }]));
    expect(catalog.lineage('sales.orders').nodes).toHaveLength(3);
  });

  it('names the missing product when asked for one', () => {
    expect(() => catalog.get('nope')).toThrow(/No product "nope"/);
  });
});

describe('catalog with bad input', () => {
  let f: Fixture;
  afterEach(() => f.dispose());

  it('shows a missing input as a dashed node in lineage and keeps loading', async () => {
    f = await demoFixture();
    await f.edit('products/marketing.ad-targeting.odps.yaml', (d) => d.setIn(['inputPorts', 1, 'contractId'], 'contract.gone'));
    const lineage = (await CatalogService.open(f.dir)).lineage('marketing.ad-targeting');
    expect(lineage.nodes).toContainEqual({ id: 'missing:contract.gone', name: 'customer-profiles', modes: [], missing: true });
  });

  it('an invalid descriptor is a problem with file and line; the others load', async () => {
    f = await demoFixture();
    await f.edit('contracts/sales.orders.odcs.yaml', (d) => d.setIn(['servers', 0, 'type'], 'carrier-pigeon'));
    const catalog = await CatalogService.open(f.dir);
    const { problems, products } = catalog.list();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ rule: 'descriptor-invalid', product: 'contract.sales.orders', line: 21 });
    expect(problems[0]!.message).toMatch(/^servers\.0\.type: .*\(ODCS\)$/);
    // The product whose contract broke still shows, with no ports; lint says why.
    expect(products).toHaveLength(4);
    expect(catalog.get('sales.orders').ports).toEqual([]);
    expect((await catalog.lint()).map((x) => x.rule)).toContain('contract-missing');
  });

  it('refuses an unreadable workspace with the file and line', async () => {
    await expect(CatalogService.open('/no/such/place')).rejects.toMatchObject({ code: 'WORKSPACE_UNREADABLE', message: expect.stringContaining('/no/such/place') });
    f = await demoFixture();
    await f.write('dpx.workspace.yaml', 'apiVersion: dpx/v1\nkind: Workspace\nname: x\ndescriptors: products\n');
    await expect(CatalogService.open(f.dir)).rejects.toMatchObject({ code: 'WORKSPACE_UNREADABLE', message: expect.stringMatching(/dpx\.workspace\.yaml:4: descriptors: /) });
    await f.write('dpx.workspace.yaml', 'apiVersion: dpx/v1\nkind: Workspace\nname: "x\n');
    await expect(CatalogService.open(f.dir)).rejects.toMatchObject({ message: expect.stringMatching(/dpx\.workspace\.yaml:\d+: YAML syntax error/) });
  });

  it('keeps the last good catalog when a reload finds the workspace unreadable', async () => {
    f = await demoFixture();
    const catalog = await CatalogService.open(f.dir);
    await f.write('dpx.workspace.yaml', 'not: [a workspace');
    await expect(catalog.reload()).rejects.toMatchObject({ code: 'WORKSPACE_UNREADABLE' });
    expect(catalog.list().products).toHaveLength(4);
  });
});
