// A titled panel of the product page; the id makes each one linkable and the count reads at a glance.
import type { ReactNode } from 'react';

export function Section({ title, count, aside, children, testId, className }: { title: string; count?: number; aside?: ReactNode; children: ReactNode; testId?: string; className?: string }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={id} data-testid={testId}>
      <header className="panel-header">
        <h2 id={id}>
          {title}
          {count !== undefined && <span className="count">{count}</span>}
        </h2>
        {aside}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
