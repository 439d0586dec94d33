// The catalog's search field. It also steers the result list (arrows, Enter), like a command
// palette, so typing a few letters and pressing Enter opens a product.
import { useRef, type KeyboardEvent } from 'react';
import { Kbd } from '../../components/badges';
import { CloseIcon, SearchIcon } from '../../components/icons';
import { useSearchFocusTarget } from '../../app/keyboard';

interface Props {
  value: string;
  onChange(text: string): void;
  onMove(delta: number): void;
  onOpen(): void;
}

export function SearchBox({ value, onChange, onMove, onOpen }: Props) {
  const input = useRef<HTMLInputElement>(null);
  useSearchFocusTarget(input);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const steer: Record<string, () => void> = {
      ArrowDown: () => onMove(1),
      ArrowUp: () => onMove(-1),
      Enter: onOpen,
      // First Esc clears, the second leaves the field (and the page's own shortcuts work again).
      Escape: () => (value ? onChange('') : input.current?.blur()),
    };
    const action = steer[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };

  return (
    <div className="search">
      <SearchIcon className="search-icon" />
      <input
        ref={input}
        type="search"
        data-testid="catalog-search"
        aria-label="Search products"
        placeholder="Search products, domains, owners, tags…"
        value={value}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {value ? (
        <button type="button" className="icon-button search-clear" aria-label="Clear search" onClick={() => onChange('')}>
          <CloseIcon size={12} />
        </button>
      ) : (
        <Kbd>/</Kbd>
      )}
    </div>
  );
}
