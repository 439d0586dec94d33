// Keyboard shortcuts: single keys ("/", "?", "Escape") and two-key sequences ("g c"), bound on the
// window while a component is mounted. They stay out of the way while the user types in a field
// or works in a dialog, and never shadow browser/OS shortcuts that use Ctrl, Alt or Cmd.
import { useEffect, useRef, type RefObject } from 'react';

/** A handler returns false when it leaves the key to the browser (e.g. Enter on a focused link). */
export type KeyBindings = Record<string, (e: KeyboardEvent) => boolean | void>;

const SEQUENCE_TIMEOUT_MS = 1200;

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function useKeys(bindings: KeyBindings): void {
  // The latest bindings, read at key time, so callers can pass a fresh object each render.
  const current = useRef(bindings);
  useEffect(() => {
    current.current = bindings;
  });

  useEffect(() => {
    let prefix: { key: string; at: number } | null = null;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (e.target instanceof Element && e.target.closest('dialog')) return;
      const map = current.current;
      const sequence = prefix && e.timeStamp - prefix.at < SEQUENCE_TIMEOUT_MS ? `${prefix.key} ${e.key}` : null;
      prefix = null;
      const handler = (sequence && map[sequence]) || map[e.key];
      if (handler) {
        if (handler(e) !== false) e.preventDefault();
      } else if (Object.keys(map).some((k) => k.startsWith(`${e.key} `))) {
        prefix = { key: e.key, at: e.timeStamp };
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

// "/" works from every page: it opens the catalog, whose search box may not be mounted yet, so the
// request waits here until the box asks for it.
let searchFocusRequested = false;
const searchFocusListeners = new Set<() => void>();

export function requestSearchFocus(): void {
  searchFocusRequested = true;
  searchFocusListeners.forEach((l) => l());
}

/** Focuses `ref` whenever "/" asks for the search box, including a request made before it mounted. */
export function useSearchFocusTarget(ref: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const take = () => {
      if (!searchFocusRequested || !ref.current) return;
      searchFocusRequested = false;
      ref.current.focus();
      ref.current.select();
    };
    take();
    searchFocusListeners.add(take);
    return () => {
      searchFocusListeners.delete(take);
    };
  }, [ref]);
}

/** Moves focus to the previous/next `[data-nav-item]` inside `container` (arrow keys in lists). */
export function moveFocus(container: HTMLElement | null, delta: number): void {
  if (!container) return;
  const items = [...container.querySelectorAll<HTMLElement>('[data-nav-item]')];
  const current = items.findIndex((el) => el === document.activeElement || el.contains(document.activeElement));
  const next = items[current === -1 ? (delta > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, current + delta))];
  next?.focus();
}
