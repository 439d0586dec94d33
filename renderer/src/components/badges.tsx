// The small labels the catalog, product page and lineage share, so a tier or a mode looks the
// same everywhere it appears.
import type { ReactNode } from 'react';
import type { Alignment, Mode, Tier } from '../../../shared/model/product';
import type { Severity } from '../../../shared/model/lint';
import { TIER_PROMISE } from '../../../shared/model/product';
import { tierPromiseText } from './format';
import { BatchIcon, ErrorIcon, InfoIcon, RestIcon, StreamIcon, WarningIcon } from './icons';

export function TierBadge({ tier, promise }: { tier: Tier | undefined; promise?: number | null }) {
  if (!tier) return <span className="tier tier-none" title="No quality tier declared">no tier</span>;
  const text = tierPromiseText(tier, promise === undefined ? TIER_PROMISE[tier] : promise);
  return (
    <span className={`tier tier-${tier}`} title={`${tier}: ${text}`}>
      <span className="tier-dot" aria-hidden="true" />
      {tier}
    </span>
  );
}

export const MODE_INFO: Record<Mode, { icon: typeof StreamIcon; hint: string }> = {
  stream: { icon: StreamIcon, hint: 'Stream: events as they happen' },
  batch: { icon: BatchIcon, hint: 'Batch: daily snapshots' },
  rest: { icon: RestIcon, hint: 'REST: lookups over HTTP' },
};

export function ModeChip({ mode }: { mode: Mode }) {
  const { icon: Icon, hint } = MODE_INFO[mode];
  return (
    <span className={`chip mode mode-${mode}`} title={hint}>
      <Icon size={12} />
      {mode}
    </span>
  );
}

export function ModeChips({ modes }: { modes: readonly Mode[] }) {
  return (
    <span className="chips">
      {modes.map((m) => (
        <ModeChip key={m} mode={m} />
      ))}
    </span>
  );
}

export const ALIGNMENT_MEANING: Record<Alignment, string> = {
  source: 'close to the system that creates the data',
  aggregate: 'combines or summarises other products',
  consumer: 'shaped for one use',
};

export function AlignmentBadge({ alignment }: { alignment: Alignment | undefined }) {
  if (!alignment) return null;
  return (
    <span className="badge" title={`${alignment}-aligned: ${ALIGNMENT_MEANING[alignment]}`}>
      {alignment}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const tone = status === 'active' ? 'ok' : status === 'deprecated' || status === 'retired' ? 'warn' : 'neutral';
  return (
    <span className={`badge status status-${tone}`}>
      <span className="status-dot" aria-hidden="true" />
      {status}
    </span>
  );
}

const SEVERITY_ICON: Record<Severity, typeof ErrorIcon> = { error: ErrorIcon, warning: WarningIcon, info: InfoIcon };

export function SeverityIcon({ severity, size = 14 }: { severity: Severity; size?: number }) {
  const Icon = SEVERITY_ICON[severity];
  return (
    <span className={`sev sev-${severity}`} role="img" aria-label={severity} title={severity}>
      <Icon size={size} />
    </span>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="kbd">{children}</kbd>;
}
