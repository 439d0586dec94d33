// A modal <dialog>: shown with showModal() (focus trapped, Esc closes, the page behind inert)
// while `open`, closed otherwise. A click on the backdrop lands on the dialog element itself,
// so it closes too.
import { useEffect, useRef, type ReactNode } from 'react';

export function Modal({ open, onClose, className, labelledBy, testId, children }: { open: boolean; onClose(): void; className: string; labelledBy: string; testId?: string; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (open && d && !d.open) d.showModal();
    if (!open && d?.open) d.close();
  }, [open]);
  return (
    <dialog ref={dialog} className={className} aria-labelledby={labelledBy} onClose={onClose} onClick={(e) => e.target === e.currentTarget && onClose()} data-testid={testId}>
      {children}
    </dialog>
  );
}
