// Loading, empty and error states, so every page handles the three the same way.
import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import type { ApiError } from '../../../shared/api/errors';
import type { CallResult } from '../app/backend';
import { EmptyIcon, ErrorIcon } from './icons';

// Fast answers (most are: the catalog lives in memory) should not flash a skeleton first.
const SKELETON_DELAY_MS = 180;

/** Shows `children` (a skeleton) only once loading has lasted long enough to be noticed. */
export function Delayed({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setShown(true), SKELETON_DELAY_MS);
    return () => clearTimeout(timer);
  }, []);
  return shown ? <div aria-busy="true">{children}</div> : null;
}

export function Skeleton({ width = '100%', height = 12, style }: { width?: string | number; height?: number; style?: CSSProperties }) {
  return <span className="skeleton" style={{ width, height, ...style }} aria-hidden="true" />;
}

/** A few ragged text lines, the generic "something is coming" placeholder. */
export function SkeletonLines({ lines = 3 }: { lines?: number }) {
  return (
    <div className="skeleton-lines">
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} width={`${92 - ((i * 23) % 40)}%`} />
      ))}
    </div>
  );
}

/** `tone="ok"` for an emptiness that is good news (no findings). */
export function EmptyState({ title, children, icon = <EmptyIcon size={20} />, tone }: { title: string; children?: ReactNode; icon?: ReactNode; tone?: 'ok' }) {
  return (
    <div className={`state state-empty ${tone ? `state-${tone}` : ''}`}>
      <div className="state-icon">{icon}</div>
      <div className="state-title">{title}</div>
      {children && <div className="state-body">{children}</div>}
    </div>
  );
}

/** An API error as the user needs it: what failed (code), why (message), where (details). */
export function ErrorState({ error, title = 'Something went wrong', children }: { error: ApiError; title?: string; children?: ReactNode }) {
  const details = Object.entries(error.details ?? {});
  return (
    <div className="state state-error" role="alert">
      <div className="state-icon">
        <ErrorIcon size={20} />
      </div>
      <div className="state-title">
        {title} <code className="error-code">{error.code}</code>
      </div>
      <div className="state-body">{error.message}</div>
      {details.length > 0 && (
        <dl className="error-details">
          {details.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{String(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {children && <div className="state-actions">{children}</div>}
    </div>
  );
}

export function Banner({ tone, icon, children, actions, testId }: { tone: 'error' | 'warning' | 'info'; icon: ReactNode; children: ReactNode; actions?: ReactNode; testId?: string }) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <span className="banner-icon">{icon}</span>
      <div className="banner-body">{children}</div>
      {actions && <div className="banner-actions">{actions}</div>}
    </div>
  );
}

/** The three states of a call in one place: its error (with Retry), a delayed skeleton, or the data. */
export function Loaded<T>({ call, what, skeleton, errorActions, children }: { call: CallResult<T>; what: string; skeleton: ReactNode; errorActions?: ReactNode; children(data: T): ReactNode }) {
  if (call.error) {
    return (
      <ErrorState error={call.error} title={`Could not load ${what}`}>
        <button type="button" className="button" onClick={call.reload}>
          Retry
        </button>
        {errorActions}
      </ErrorState>
    );
  }
  if (call.data === undefined) return <Delayed>{skeleton}</Delayed>;
  return <>{children(call.data)}</>;
}
