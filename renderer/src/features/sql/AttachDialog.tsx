// "Open Parquet file or folder…": the user names a table and gives a local path (`sql.attach`);
// the backend widens its sandbox to exactly that file or folder. A sandboxed page has no file
// dialog that yields paths, and a dropped file carries no path in browser mode, so the path is
// typed (a drop pre-fills the table name from the file's name).
import { useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../../../shared/api/errors';
import { useClient } from '../../app/backend';
import { CloseIcon, InfoIcon } from '../../components/icons';
import { Modal } from '../../components/Modal';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A table name from a file name: report 2024.parquet → report_2024. */
export function tableNameFromFile(file: string): string {
  const base = file.replace(/\.parquet$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z_]+/, '');
  return base.slice(0, 100) || 'file';
}

export interface AttachRequest {
  name: string;
  /** A dropped file's path, when the desktop app could tell it. */
  path?: string;
  /** Why the dialog opened with a note (a drop). */
  note?: string;
}

export function AttachDialog({ request, onClose, onAttached }: { request: AttachRequest | null; onClose(): void; onAttached(name: string): void }) {
  return (
    <Modal open={request !== null} onClose={onClose} className="attach-dialog" labelledBy="attach-title" testId="attach-dialog">
      {/* Keyed by request so each opening starts from its own defaults. */}
      {request && <AttachForm key={`${request.name}\0${request.note ?? ''}`} request={request} onClose={onClose} onAttached={onAttached} />}
    </Modal>
  );
}

function AttachForm({ request, onClose, onAttached }: { request: AttachRequest; onClose(): void; onAttached(name: string): void }) {
  const client = useClient();
  const [name, setName] = useState(request.name);
  const [path, setPath] = useState(request.path ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const nameOk = NAME_RE.test(name);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!nameOk || !path.trim() || busy) return;
    setBusy(true);
    setError(null);
    client.call('sql.attach', { name, path: path.trim() }).then(
      () => {
        setBusy(false);
        onAttached(name);
      },
      (err: unknown) => {
        setBusy(false);
        setError(toApiError(err));
      },
    );
  };
  return (
    <form className="attach-card" onSubmit={submit}>
      <header>
        <h2 id="attach-title">Open a Parquet file or folder</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close">
          <CloseIcon />
        </button>
      </header>
      {request.note && (
        <p className="attach-note" data-testid="attach-drop-note">
          <InfoIcon size={14} /> {request.note}
        </p>
      )}
      <label className="attach-field">
        <span>Table name</span>
        <input className={`input mono ${name && !nameOk ? 'invalid' : ''}`} value={name} onChange={(e) => setName(e.target.value)} placeholder="my_table" required autoFocus={!request.name} data-testid="attach-name" spellCheck={false} />
        <span className="faint small">Starts with a letter; letters, digits, _ . and -. Query it as "{name || 'name'}".</span>
      </label>
      <label className="attach-field">
        <span>Path on this machine</span>
        <input className="input mono" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/data/report.parquet or a folder of .parquet files" required autoFocus={!!request.name} data-testid="attach-path" spellCheck={false} />
        <span className="faint small">A .parquet file, or a folder whose .parquet files (read recursively) become one table. Only this path is opened to queries.</span>
      </label>
      {error && (
        <p className="attach-error" role="alert" data-testid="attach-error">
          {error.message}
        </p>
      )}
      <footer>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={!nameOk || !path.trim() || busy} data-testid="attach-submit">
          {busy ? 'Opening…' : 'Open as table'}
        </button>
      </footer>
    </form>
  );
}
