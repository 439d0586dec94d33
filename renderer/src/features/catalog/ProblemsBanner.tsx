// Descriptors that failed to load still leave a usable catalog; this says which ones and where,
// and leads to the lint panel for the full list.
import type { Finding } from '../../../../shared/model/lint';
import { useCall } from '../../app/backend';
import { hrefs } from '../../app/router';
import { Banner } from '../../components/states';
import { fileLine, plural, workspacePath } from '../../components/format';
import { WarningIcon } from '../../components/icons';

const SHOWN = 3;

export function ProblemsBanner({ problems }: { problems: readonly Finding[] }) {
  const root = useCall('workspace.info', {}).data?.root;
  if (problems.length === 0) return null;
  return (
    <Banner
      tone="warning"
      icon={<WarningIcon />}
      testId="catalog-problems"
      actions={
        <a className="button" href={hrefs.lint()}>
          Open lint panel
        </a>
      }
    >
      <strong>{plural(problems.length, 'problem')} while loading the catalog.</strong> The products that loaded are shown.
      <ul className="banner-list">
        {problems.slice(0, SHOWN).map((p, i) => (
          <li key={i}>
            <code>{fileLine(workspacePath(p.file, root), p.line)}</code> {p.message}
          </li>
        ))}
        {problems.length > SHOWN && <li className="muted">and {problems.length - SHOWN} more…</li>}
      </ul>
    </Banner>
  );
}
