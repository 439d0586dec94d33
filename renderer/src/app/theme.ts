// Light or dark: follows the system until the user picks one, then remembers the pick.
import { createStore, useStore } from './store';

export type Theme = 'light' | 'dark';
const STORAGE_KEY = 'dpx.theme';
const systemDark = window.matchMedia('(prefers-color-scheme: dark)');

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null; // storage can be disabled; the system theme still works
  }
}

const systemTheme = (): Theme => (systemDark.matches ? 'dark' : 'light');
const themeStore = createStore<Theme>(storedTheme() ?? systemTheme());

function apply(theme: Theme) {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

/** Call once before the first render so the page never paints in the wrong theme. */
export function installTheme(): void {
  apply(themeStore.get());
  themeStore.subscribe(() => apply(themeStore.get()));
  systemDark.addEventListener('change', () => {
    if (!storedTheme()) themeStore.set(systemTheme());
  });
}

export function useTheme(): { theme: Theme; toggle(): void } {
  const theme = useStore(themeStore);
  return {
    theme,
    toggle() {
      const next: Theme = theme === 'dark' ? 'light' : 'dark';
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // not persisted, but still switched for this session
      }
      themeStore.set(next);
    },
  };
}
