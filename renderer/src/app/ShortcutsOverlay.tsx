// The "?" overlay: every keyboard shortcut on one card. A native modal <dialog> gives the focus
// trap, Esc to close and the backdrop for free.
import { Modal } from '../components/Modal';
import { Kbd } from '../components/badges';
import { CloseIcon } from '../components/icons';

const SHORTCUTS: Array<{ group: string; keys: Array<[keys: string[], what: string]> }> = [
  {
    group: 'Anywhere',
    keys: [
      [['/'], 'Search the catalog'],
      [['g', 'c'], 'Go to the catalog'],
      [['g', 'l'], 'Go to the lint panel'],
      [['g', 't'], 'Tail the product’s stream (else the captures)'],
      [['g', 's'], 'Open the SQL workspace'],
      [['?'], 'Show these shortcuts'],
    ],
  },
  {
    group: 'Lists',
    keys: [
      [['↑', '↓'], 'Move the selection'],
      [['Home', 'End'], 'First / last product'],
      [['Enter'], 'Open the selected product'],
      [['Tab'], 'Move between controls'],
    ],
  },
  {
    group: 'Search box',
    keys: [
      [['Esc'], 'Clear, then leave the field'],
      [['↑', '↓', 'Enter'], 'Steer the results while typing'],
    ],
  },
  {
    group: 'Product page',
    keys: [[['Esc'], 'Back to the catalog (or Backspace)']],
  },
  {
    group: 'SQL workspace',
    keys: [
      [['Ctrl', 'Enter'], 'Run the query (the selection if any; ⌘ on a Mac)'],
      [['Alt', 'T'], 'New tab'],
      [['Alt', 'W'], 'Close the tab'],
      [['↑', '↓', '←', '→'], 'In the result: move between cells'],
    ],
  },
  {
    group: 'Stream messages',
    keys: [
      [['↑', '↓'], 'Move (Shift: extend the selection)'],
      [['Enter'], 'Open the message'],
      [['Esc'], 'Close the message'],
      [['Ctrl', 'A'], 'Select every message in view'],
      [['Enter'], 'In the filter: start'],
    ],
  },
];

export function ShortcutsOverlay({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal open={open} onClose={onClose} className="shortcuts" labelledBy="shortcuts-title">
      <div className="shortcuts-card">
        <header>
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close" autoFocus>
            <CloseIcon />
          </button>
        </header>
        <div className="shortcuts-groups">
          {SHORTCUTS.map(({ group, keys }) => (
            <section key={group}>
              <h3>{group}</h3>
              <dl>
                {keys.map(([combo, what]) => (
                  <div key={what}>
                    <dt>
                      {combo.map((k) => (
                        <Kbd key={k}>{k}</Kbd>
                      ))}
                    </dt>
                    <dd>{what}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </Modal>
  );
}
