// A button that opens a small panel under it (partition pickers, position tables). Closes on a
// click outside, on Esc, or when the button is pressed again; focus goes back to the button.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export function Popover({ label, title, children, className, align = 'start', testId, panelTestId }: { label: ReactNode; title?: string; children: ReactNode | ((close: () => void) => ReactNode); className?: string; align?: 'start' | 'end'; testId?: string; panelTestId?: string }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault(); // the page's own Esc (close the drawer, go back) waits for the next one
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onDown);
    window.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [open]);
  const close = () => setOpen(false);
  return (
    <div className={`popover ${className ?? ''}`} ref={root}>
      <button ref={button} type="button" className="toggle popover-button" aria-expanded={open} aria-controls={id} title={title} onClick={() => setOpen(!open)} data-testid={testId}>
        {label}
      </button>
      {open && (
        <div className={`popover-panel popover-${align}`} id={id} role="dialog" data-testid={panelTestId}>
          {typeof children === 'function' ? children(close) : children}
        </div>
      )}
    </div>
  );
}
