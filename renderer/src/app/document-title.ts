// The window title names the page, so the OS window switcher and history entries are readable.
import { useEffect } from 'react';

const APP = 'Data Product Explorer';

export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APP}` : APP;
  }, [title]);
}
