// The descriptor files the product was read from, to open in an editor or quote in a ticket.
import type { Product } from '../../../../shared/model/product';
import { useCall } from '../../app/backend';
import { CopyButton } from '../../components/CopyButton';
import { fileLine, workspacePath } from '../../components/format';
import { Section } from '../../components/Section';

export function SourcesPanel({ product }: { product: Product }) {
  const root = useCall('workspace.info', {}).data?.root;
  const sources = [{ kind: 'product', ...product.source }, ...product.contractSources.map((s) => ({ kind: 'contract', ...s }))];
  return (
    <Section title="Descriptors">
      <ul className="plain-list sources">
        {sources.map((s) => {
          const location = fileLine(s.file, s.line);
          return (
            <li key={`${s.kind}-${location}`}>
              <span className="muted source-kind">{s.kind}</span>
              <code className="path" title={location}>
                {fileLine(workspacePath(s.file, root), s.line)}
              </code>
              <CopyButton value={location} label="Copy path" />
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
