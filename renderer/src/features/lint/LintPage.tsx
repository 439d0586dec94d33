// The lint panel: every promise the workspace's descriptors cannot keep (`lint.run`), grouped by
// product, with the file and line to fix. The severity filter lives in the URL like the catalog's.
import { useMemo, useRef } from 'react';
import type { Finding, Severity } from '../../../../shared/model/lint';
import { useCall } from '../../app/backend';
import { useDocumentTitle } from '../../app/document-title';
import { moveFocus, useKeys } from '../../app/keyboard';
import { hrefs, navigate } from '../../app/router';
import { SeverityIcon } from '../../components/badges';
import { CopyButton } from '../../components/CopyButton';
import { fileLine, plural, workspacePath } from '../../components/format';
import { CheckIcon } from '../../components/icons';
import { EmptyState, Loaded, SkeletonLines } from '../../components/states';
import { countBySeverity, groupByProduct, SEVERITIES, type FindingGroup } from './findings';

const SEVERITY_LABEL: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

export function LintPage({ params }: { params: URLSearchParams }) {
  const lint = useCall('lint.run', {});
  useDocumentTitle('Lint');
  const catalog = useCall('catalog.list', {});
  const root = useCall('workspace.info', {}).data?.root;
  const panel = useRef<HTMLElement>(null);

  const chosen = useMemo(() => params.getAll('severity').filter((s): s is Severity => (SEVERITIES as readonly string[]).includes(s)), [params]);
  const toggle = (s: Severity) => {
    const next = chosen.includes(s) ? chosen.filter((c) => c !== s) : [...chosen, s];
    navigate(hrefs.lint(new URLSearchParams(next.map((v) => ['severity', v]))), { replace: true });
  };

  const findings = lint.data?.findings;
  const counts = useMemo(() => countBySeverity(findings ?? []), [findings]);
  const groups = useMemo(() => groupByProduct((findings ?? []).filter((f) => chosen.length === 0 || chosen.includes(f.severity))), [findings, chosen]);
  const names = useMemo(() => new Map(catalog.data?.products.map((p) => [p.id, p.name])), [catalog.data]);

  useKeys({
    ArrowDown: () => moveFocus(panel.current, 1),
    ArrowUp: () => moveFocus(panel.current, -1),
  });

  return (
    <main className="page lint-page" data-testid="lint-panel" ref={panel}>
      <header className="page-header">
        <h1>Lint</h1>
        <p className="muted">
          Promises the descriptors of this workspace cannot keep, and where to fix them.
          {findings && findings.length > 0 && ` ${plural(findings.length, 'finding')} in ${plural(new Set(findings.map((f) => f.product)).size, 'product or file', 'products or files')}.`}
        </p>
        {findings && findings.length > 0 && (
          <div className="severity-filter" role="group" aria-label="Filter by severity">
            {SEVERITIES.map((s) => (
              <button key={s} type="button" className={`toggle sev-toggle-${s}`} aria-pressed={chosen.includes(s)} data-testid={`severity-${s}`} disabled={counts[s] === 0} onClick={() => toggle(s)}>
                <SeverityIcon severity={s} />
                {SEVERITY_LABEL[s]}
                <span className="count">{counts[s]}</span>
              </button>
            ))}
          </div>
        )}
      </header>
      <Loaded call={lint} what="the lint findings" skeleton={<SkeletonLines lines={6} />}>
        {(data) =>
          data.findings.length === 0 ? (
            <EmptyState title="No findings" icon={<CheckIcon size={20} />} tone="ok">
              Every descriptor loads and every product keeps the promises lint checks.
            </EmptyState>
          ) : groups.length === 0 ? (
            <EmptyState title="No findings at this severity" />
          ) : (
            groups.map((g) => <FindingGroupView key={g.product} group={g} name={names.get(g.product)} root={root} />)
          )
        }
      </Loaded>
    </main>
  );
}

/** `name` is set when the group is a product of the catalog (else it is a file that did not load). */
function FindingGroupView({ group, name, root }: { group: FindingGroup; name: string | undefined; root: string | undefined }) {
  const isProduct = name !== undefined;
  return (
    <section className="finding-group" aria-label={group.product}>
      <header className="finding-group-header">
        {isProduct ? (
          <a href={hrefs.product(group.product)} className="finding-product">
            {name} <code className="faint">{group.product}</code>
          </a>
        ) : (
          <span className="finding-product">
            <code>{group.product}</code> <span className="faint">not loaded</span>
          </span>
        )}
        <span className="finding-counts">
          {SEVERITIES.filter((s) => group.counts[s] > 0).map((s) => (
            <span key={s} className={`sev-count sev-${s}`}>
              <SeverityIcon severity={s} size={12} />
              {group.counts[s]}
            </span>
          ))}
        </span>
      </header>
      <ul className="findings">
        {group.findings.map((f, i) => (
          <FindingRow key={i} finding={f} root={root} open={isProduct ? () => navigate(hrefs.product(f.product)) : undefined} />
        ))}
      </ul>
    </section>
  );
}

function FindingRow({ finding, root, open }: { finding: Finding; root: string | undefined; open: (() => void) | undefined }) {
  const location = fileLine(finding.file, finding.line);
  return (
    <li
      className={`finding finding-${finding.severity}`}
      tabIndex={0}
      data-nav-item
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target === e.currentTarget && open) open();
      }}
    >
      <SeverityIcon severity={finding.severity} />
      <code className="rule-id">{finding.rule}</code>
      <span className="finding-message">{finding.message}</span>
      <span className="finding-location">
        <code title={location}>{fileLine(workspacePath(finding.file, root), finding.line)}</code>
        <CopyButton value={location} label="Copy location" />
      </span>
    </li>
  );
}
