import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isSeq, type Document, type YAMLMap } from 'yaml';
import { CatalogService } from '../../../../../electron/services/catalog/catalog-service';
import { LINT_RULES, type LintRule } from '../../../../../electron/services/catalog/lint';
import type { Finding } from '../../../../../shared/model/lint';
import { DEMO, demoFixture, type Fixture } from '../../../../helpers/workspace-fixture';

/** 1-based line of the first line containing `needle` (after `after`, if given). */
async function lineOf(file: string, needle: string, after?: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const start = after ? lines.findIndex((l) => l.includes(after)) : 0;
  const i = lines.findIndex((l, n) => n >= start && l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in ${file}`);
  return i + 1;
}

function setCustom(doc: Document, name: string, value: string) {
  const props = doc.get('customProperties') as { items: YAMLMap[] };
  const item = props.items.find((p) => p.get('property') === name);
  if (!item) throw new Error(`no custom property ${name}`);
  item.set('value', value);
}

function removeCustom(doc: Document, name: string) {
  const props = doc.get('customProperties') as { items: YAMLMap[] };
  props.items = props.items.filter((p) => p.get('property') !== name);
}

/** Drops every quality rule (object and field level) from a contract. */
function dropQuality(doc: Document) {
  const walk = (node: unknown) => {
    if (isMap(node)) {
      node.delete('quality');
      node.items.forEach((pair) => walk(pair.value));
    } else if (isSeq(node)) node.items.forEach(walk);
  };
  walk(doc.get('schema'));
}

interface Case {
  rule: LintRule;
  severity: 'error' | 'warning';
  product: string;
  /** The workspace-relative file the finding must name. */
  file: string;
  /** Text on the line the finding must point at (searched after `after`). */
  line: string;
  after?: string;
  mutate(f: Fixture): Promise<void>;
  /** The rest of the catalog still loads this many products. */
  products?: number;
}

const cases: Case[] = [
  {
    rule: 'yaml-syntax',
    severity: 'error',
    product: 'broken.odps.yaml',
    file: 'products/broken.odps.yaml',
    line: 'id: second',
    mutate: (f) => f.write('products/broken.odps.yaml', 'apiVersion: v1.1.0\nkind: DataProduct\nid: first\nname: x\nid: second\n'),
    products: 4,
  },
  {
    rule: 'descriptor-invalid',
    severity: 'error',
    product: 'sales.orders',
    file: 'products/sales.orders.odps.yaml',
    line: 'apiVersion:',
    mutate: (f) => f.edit('products/sales.orders.odps.yaml', (d) => d.set('apiVersion', 'v9.9.9')),
    products: 3,
  },
  {
    rule: 'descriptor-missing',
    severity: 'error',
    product: 'dpx.workspace.yaml',
    file: 'dpx.workspace.yaml',
    line: '- not-there',
    mutate: (f) => f.edit('dpx.workspace.yaml', (d) => (d.get('descriptors') as { add(v: string): void }).add('not-there')),
    products: 4,
  },
  {
    rule: 'duplicate-id',
    severity: 'error',
    product: 'customers.profile',
    file: 'products/z-copy.odps.yaml',
    line: 'id: customers.profile',
    mutate: async (f) => f.write('products/z-copy.odps.yaml', await readFile(join(DEMO, 'products/customers.profile.odps.yaml'), 'utf8')),
    products: 4,
  },
  {
    rule: 'contract-missing',
    severity: 'error',
    product: 'sales.orders',
    file: 'products/sales.orders.odps.yaml',
    line: 'contractId: contract.nope',
    mutate: (f) => f.edit('products/sales.orders.odps.yaml', (d) => d.setIn(['outputPorts', 0, 'contractId'], 'contract.nope')),
  },
  {
    rule: 'owner-mismatch',
    severity: 'error',
    product: 'customers.profile',
    file: 'contracts/customers.profile.odcs.yaml',
    line: 'team:',
    mutate: (f) => f.edit('contracts/customers.profile.odcs.yaml', (d) => d.setIn(['team', 'name'], 'somebody-else')),
  },
  {
    rule: 'tier-without-checks',
    severity: 'error',
    product: 'marketing.ad-targeting',
    file: 'products/marketing.ad-targeting.odps.yaml',
    line: '- property: qualityTier',
    mutate: (f) => f.edit('contracts/marketing.ad-targeting.odcs.yaml', dropQuality),
  },
  {
    rule: 'tier-above-input',
    severity: 'warning',
    product: 'marketing.ad-targeting',
    file: 'products/marketing.ad-targeting.odps.yaml',
    line: '- property: qualityTier',
    mutate: (f) =>
      f.edit('contracts/marketing.ad-targeting.odcs.yaml', (d) => {
        dropQuality(d);
        // Prose only: a rule nobody can execute does not measure the promised tier.
        d.setIn(['schema', 0, 'quality'], d.createNode([{ type: 'text', description: 'Predictions are reviewed by the team.' }]));
      }),
  },
  {
    rule: 'unknown-server',
    severity: 'error',
    product: 'sales.orders',
    file: 'contracts/sales.orders.odcs.yaml',
    line: 'server: sales-events',
    mutate: (f) => f.edit('dpx.workspace.yaml', (d) => d.deleteIn(['connections', 'sales-events'])),
  },
  {
    rule: 'relation-incomplete',
    severity: 'error',
    product: 'customers.profile',
    file: 'contracts/customers.profile.odcs.yaml',
    line: '- property: streamRelation',
    mutate: (f) => f.edit('contracts/customers.profile.odcs.yaml', (d) => removeCustom(d, 'eventTimeField')),
  },
  {
    rule: 'aggregate-source-missing',
    severity: 'error',
    product: 'sales.daily-totals',
    file: 'contracts/sales.daily-totals.odcs.yaml',
    line: '- property: streamRelation',
    mutate: (f) => f.edit('contracts/sales.daily-totals.odcs.yaml', (d) => setCustom(d, 'aggregateOf', 'sales.gone')),
  },
  {
    rule: 'input-missing',
    severity: 'error',
    product: 'marketing.ad-targeting',
    file: 'products/marketing.ad-targeting.odps.yaml',
    line: 'contractId: contract.unknown',
    mutate: (f) => f.edit('products/marketing.ad-targeting.odps.yaml', (d) => d.setIn(['inputPorts', 1, 'contractId'], 'contract.unknown')),
  },
  {
    rule: 'invalid-custom-property',
    severity: 'error',
    product: 'sales.orders',
    file: 'products/sales.orders.odps.yaml',
    line: 'value: platinum',
    mutate: (f) => f.edit('products/sales.orders.odps.yaml', (d) => setCustom(d, 'qualityTier', 'platinum')),
  },
];

describe('lint', () => {
  let demoFindings: Finding[];
  beforeAll(async () => {
    demoFindings = await (await CatalogService.open(DEMO)).lint();
  });

  it('covers every rule it documents', () => {
    expect(cases.map((c) => c.rule).sort()).toEqual(Object.keys(LINT_RULES).sort());
  });

  it('finds nothing wrong with the demo workspace', () => {
    expect(demoFindings).toEqual([]);
  });

  let fixture: Fixture | null = null;
  afterEach(async () => {
    await fixture?.dispose();
    fixture = null;
  });

  for (const c of cases) {
    describe(c.rule, () => {
      it('passes when the promise is kept (demo workspace)', () => {
        expect(demoFindings.filter((f) => f.rule === c.rule)).toEqual([]);
      });

      it('reports the broken promise with product, severity, file and line', async () => {
        fixture = await demoFixture();
        await c.mutate(fixture);
        const catalog = await CatalogService.open(fixture.dir);
        const findings = await catalog.lint();
        const hits = findings.filter((f) => f.rule === c.rule);
        expect(hits.length).toBeGreaterThan(0);
        const file = join(fixture.dir, c.file);
        const hit = hits.find((h) => h.file === file);
        expect(hit, JSON.stringify(hits, null, 1)).toBeDefined();
        expect(hit!.product).toBe(c.product);
        expect(hit!.severity).toBe(c.severity);
        expect(hit!.message.length).toBeGreaterThan(20);
        expect(hit!.line).toBe(await lineOf(file, c.line, c.after));
        if (c.products !== undefined) expect(catalog.list().products).toHaveLength(c.products);
      });
    });
  }
});
