// Copies a value (a file:line, an address) and says so for a moment.
import { useEffect, useState } from 'react';
import { CheckIcon, CloseIcon, CopyIcon } from './icons';

const CONFIRM_MS = 1200;

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!outcome) return;
    const timer = setTimeout(() => setOutcome(null), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [outcome]);
  const text = outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Could not copy (clipboard blocked)' : `${label} ${value}`;
  return (
    <button
      type="button"
      className={`icon-button copy-button ${outcome ?? ''}`}
      title={text}
      aria-label={text}
      onClick={(e) => {
        e.stopPropagation();
        navigator.clipboard.writeText(value).then(
          () => setOutcome('copied'),
          () => setOutcome('failed'),
        );
      }}
    >
      {outcome === 'copied' ? <CheckIcon size={13} /> : outcome === 'failed' ? <CloseIcon size={13} /> : <CopyIcon size={13} />}
    </button>
  );
}
