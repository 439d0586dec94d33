// How the CLI prints things: JSON for scripts (stable field names), aligned text for people.
import type { CatalogList } from '../../shared/api/contract';
import type { SnapshotDaySummary } from '../../shared/model/snapshot';
import type { Finding } from '../../shared/model/lint';
import type { Product, SchemaField } from '../../shared/model/product';

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : s + '\n');
};
const json = (v: unknown) => out(JSON.stringify(v, null, 2));

export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function printCatalogList(list: CatalogList, asJson: boolean): void {
  if (asJson) json(list.products);
  else if (list.products.length === 0) out('No products in this workspace.');
  else out(table([['ID', 'NAME', 'DOMAIN', 'OWNER', 'ALIGNMENT', 'TIER', 'MODES'], ...list.products.map((p) => [p.id, p.name, p.domain, p.owner, p.alignment ?? '-', p.tier ?? '-', p.modes.join(',')])]));
  // Load problems go to stderr in both modes: scripts keep clean JSON, people still see them.
  if (list.problems.length) {
    process.stderr.write(`\n${list.problems.length} problem(s) while loading (run \`dpx lint\` for all findings):\n`);
    for (const f of list.problems) process.stderr.write(`  ${location(f)}: ${f.message}\n`);
  }
}

export function printProduct(p: Product, snapshots: SnapshotDaySummary[], asJson: boolean): void {
  if (asJson) return json({ ...p, snapshots });
  const lines = [
    `${p.name} (${p.id})  ${p.status}${p.version ? ` v${p.version}` : ''}`,
    p.description,
    '',
    table([
      ['domain', p.domain],
      ['owner', p.owner.name + (p.owner.email ? ` <${p.owner.email}>` : '')],
      ['alignment', p.alignment ?? '-'],
      ['tier', p.tier ? `${p.tier}${p.tierPromise !== null ? ` (promises ≥ ${(p.tierPromise * 100).toPrecision(6).replace(/0+$/, '')} % of records pass)` : ''}` : '-'],
      ['relation', p.relation ? `${p.relation.kind}${p.relation.keyField ? ` key=${p.relation.keyField}` : ''}${p.relation.eventTimeField ? ` time=${p.relation.eventTimeField}` : ''}` : '-'],
      ['sla', p.sla.map((s) => `${s.property}=${s.value}${s.unit ? ' ' + s.unit : ''}`).join(', ') || '-'],
      ['inputs', p.inputs.map((i) => i.productId ?? `${i.name} (not in workspace)`).join(', ') || '-'],
      ['consumers', p.consumers.join(', ') || '-'],
    ]),
    '',
    'PORTS',
    table(p.ports.map((port) => [port.mode, port.name, port.address, port.via ? `via ${port.via}` : ''])),
  ];
  for (const obj of p.schema) {
    lines.push('', `SCHEMA ${obj.name}${obj.physicalName && obj.physicalName !== obj.name ? ` (${obj.physicalName})` : ''}`);
    lines.push(table([['FIELD', 'TYPE', 'KEY', 'REQUIRED', 'CHECKS'], ...flatten(obj.fields).map((f) => [f.path, f.logicalType ?? f.physicalType ?? '', f.primaryKey ? 'pk' : '', f.required ? 'yes' : '', f.quality.map((q) => q.summary).join('; ')])]));
    for (const q of obj.quality) lines.push(`  check: ${q.summary}`);
  }
  if (snapshots.length) lines.push('', `SNAPSHOTS ${snapshots.length} days, ${snapshots[0]!.date} … ${snapshots.at(-1)!.date}`);
  out(lines.join('\n'));
}

function flatten(fields: SchemaField[]): SchemaField[] {
  return fields.flatMap((f) => [f, ...flatten(f.children)]);
}

const location = (f: Finding) => `${f.file}${f.line ? `:${f.line}` : ''}`;

export function printFindings(findings: Finding[], asJson: boolean): void {
  if (asJson) return json({ findings });
  if (findings.length === 0) return out('No findings: every product keeps its promises.');
  out(table(findings.map((f) => [f.severity.toUpperCase(), f.product, f.rule, f.message, location(f)])));
  const errors = findings.filter((f) => f.severity === 'error').length;
  out(`\n${errors} error(s), ${findings.length - errors} warning(s)/info`);
}
