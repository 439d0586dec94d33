// Lint findings arranged for reading: by product, worst first, then in file order.
import { severitySchema, type Finding, type Severity } from '../../../../shared/model/lint';

export const SEVERITIES = severitySchema.options;
const WEIGHT: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  return [...findings].sort((a, b) => WEIGHT[a.severity] - WEIGHT[b.severity])[0]?.severity;
}

export interface FindingGroup {
  product: string;
  findings: Finding[];
  counts: SeverityCounts;
}

const byWeightThenPlace = (a: Finding, b: Finding) => WEIGHT[a.severity] - WEIGHT[b.severity] || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0);

export function groupByProduct(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.product, [...(groups.get(f.product) ?? []), f]);
  return [...groups]
    .map(([product, list]) => ({ product, findings: list.sort(byWeightThenPlace), counts: countBySeverity(list) }))
    .sort((a, b) => b.counts.error - a.counts.error || b.counts.warning - a.counts.warning || a.product.localeCompare(b.product));
}
