// One message, in full: the value as annotated JSON, its headers, key and metadata, every
// validation error, and the raw bytes as stored (fetched on demand with stream.message).
import { memo, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SchemaObject } from '../../../../shared/model/product';
import type { StreamMessage, StreamTarget } from '../../../../shared/model/stream';
import { useCall } from '../../app/backend';
import { Kbd } from '../../components/badges';
import { CopyButton } from '../../components/CopyButton';
import { formatBytes } from '../../components/format';
import { CheckIcon, CloseIcon, CopyIcon, ErrorIcon, WarningIcon } from '../../components/icons';
import { ErrorState, SkeletonLines } from '../../components/states';
import { JsonView } from './JsonView';
import { base64ToBytes, formatLocalTime, formatUtc, hexDump, isPoison, messageJson, poisonReason, utf8Preview, valueText } from './message-format';

type Tab = 'value' | 'headers' | 'meta' | 'raw';

/** A labelled copy button ("Copy value"), for when an icon alone would not say what it copies. */
function TextCopyButton({ text, label, testId }: { text: () => string; label: string; testId?: string }) {
  const [outcome, setOutcome] = useState<'copied' | 'failed' | null>(null);
  useEffect(() => {
    if (!outcome) return;
    const t = setTimeout(() => setOutcome(null), 1200);
    return () => clearTimeout(t);
  }, [outcome]);
  return (
    <button
      type="button"
      className={`button small-button ${outcome ?? ''}`}
      data-testid={testId}
      onClick={() =>
        navigator.clipboard.writeText(text()).then(
          () => setOutcome('copied'),
          () => setOutcome('failed'),
        )
      }
    >
      {outcome === 'copied' ? <CheckIcon size={13} /> : <CopyIcon size={13} />}
      {outcome === 'copied' ? 'Copied' : outcome === 'failed' ? 'Clipboard blocked' : label}
    </button>
  );
}

function ValueTab({ message, schema }: { message: StreamMessage; schema: SchemaObject | null }) {
  if (isPoison(message)) {
    const bytes = message.valueEncoding === 'base64' ? base64ToBytes(String(message.value)) : null;
    const text = bytes ? utf8Preview(bytes) : null;
    return (
      <div className="poison-detail">
        <p className="poison-note">
          <WarningIcon size={14} />
          <span>
            This value could not be decoded: <strong>{poisonReason(message)}</strong>. It is shown as it was sent; the tail went on past it. The Raw tab has its bytes.
          </span>
        </p>
        {text && (
          <>
            <h4 className="drawer-subhead">As text{text.valid ? '' : ' (not valid UTF-8: � marks bad bytes)'}</h4>
            <pre className="code-block wrap">{text.text.slice(0, 20_000)}</pre>
          </>
        )}
        <h4 className="drawer-subhead">As {message.valueEncoding}</h4>
        <pre className="code-block wrap">{String(message.value).slice(0, 20_000)}</pre>
      </div>
    );
  }
  if (message.valueEncoding === 'null') return <p className="muted">No value: a tombstone (null), which deletes the key in a compacted topic.</p>;
  if (message.valueEncoding === 'json' || message.valueEncoding === 'avro') return <JsonView value={message.value} schema={schema} errors={message.errors} />;
  return <pre className="code-block wrap">{String(message.value)}</pre>;
}

function HeadersTab({ message }: { message: StreamMessage }) {
  if (!message.headers.length) return <p className="muted">No headers.</p>;
  return (
    <table className="table compact">
      <thead>
        <tr>
          <th>Header</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {message.headers.map((h, i) => (
          <tr key={i}>
            <td className="mono">{h.key}</td>
            <td className="mono break">{h.value ?? <span className="faint">null</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MetaTab({ message, topic }: { message: StreamMessage; topic: string }) {
  const rows: Array<[string, ReactNode]> = [
    ['Topic', <code key="t">{topic}</code>],
    ['Partition', message.partition],
    ['Offset', message.offset.toLocaleString()],
    ['Timestamp', formatLocalTime(message.timestamp) + ' (local)'],
    ['UTC', formatUtc(message.timestamp)],
    ['Epoch ms', message.timestamp],
    ['Key', message.key === null ? <span className="faint">null</span> : <code className="break">{message.key}</code>],
    ['Key encoding', message.keyEncoding],
    ['Value encoding', message.valueEncoding],
    ['Value size', `${formatBytes(message.size)} (${message.size.toLocaleString()} bytes on the wire)`],
    ['Checked', message.valid === undefined ? 'not checked (no contract)' : message.valid ? 'passes every check' : `${message.errors.length} failing`],
  ];
  return (
    <dl className="kv meta-list">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function BytesBlock({ label, b64 }: { label: string; b64: string | null }) {
  const bytes = useMemo(() => (b64 === null ? null : base64ToBytes(b64)), [b64]);
  const text = useMemo(() => (bytes ? utf8Preview(bytes) : null), [bytes]);
  return (
    <section className="raw-block">
      <header className="raw-head">
        <h4 className="drawer-subhead">
          {label} <span className="faint">{bytes ? `${bytes.length.toLocaleString()} bytes` : 'null'}</span>
        </h4>
        {b64 !== null && <CopyButton value={b64} label={`Copy ${label.toLowerCase()} as base64`} />}
      </header>
      {bytes && (
        <>
          <pre className="code-block hexdump">{bytes.length ? hexDump(bytes) : '(empty)'}</pre>
          {bytes.length > 0 && (
            <>
              <div className="raw-caption">UTF-8{text!.valid ? '' : ' (not valid UTF-8: � marks bad bytes)'}</div>
              <pre className="code-block wrap">{text!.text.slice(0, 20_000)}</pre>
            </>
          )}
        </>
      )}
    </section>
  );
}

function RawTab({ target, message }: { target: StreamTarget; message: StreamMessage }) {
  const raw = useCall('stream.message', { target, partition: message.partition, offset: message.offset });
  if (raw.error) return <ErrorState error={raw.error} title="Could not read the stored bytes" />;
  if (!raw.data) return <SkeletonLines lines={6} />;
  return (
    <div className="raw-view" data-testid="raw-view">
      <BytesBlock label="Value" b64={raw.data.value} />
      <BytesBlock label="Key" b64={raw.data.key} />
      {raw.data.headers.length > 0 && (
        <section className="raw-block">
          <h4 className="drawer-subhead">Headers</h4>
          <table className="table compact">
            <thead>
              <tr>
                <th>Header</th>
                <th>UTF-8</th>
                <th>Base64</th>
              </tr>
            </thead>
            <tbody>
              {raw.data.headers.map((h, i) => (
                <tr key={i}>
                  <td className="mono">{h.key}</td>
                  <td className="mono break">{h.value === null ? <span className="faint">null</span> : utf8Preview(base64ToBytes(h.value)).text}</td>
                  <td className="mono break faint">{h.value ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

/** Memoized: the list behind it repaints ~30 times a second while a tail runs. */
export const MessageDrawer = memo(function MessageDrawer({ message, target, topic, schema, onClose }: { message: StreamMessage; target: StreamTarget; topic: string; schema: SchemaObject | null; onClose(): void }) {
  const [tab, setTab] = useState<Tab>('value');
  const poison = isPoison(message);
  const tabs: Array<[Tab, string]> = [
    ['value', 'Value'],
    ['headers', `Headers${message.headers.length ? ` (${message.headers.length})` : ''}`],
    ['meta', 'Metadata'],
    ['raw', 'Raw'],
  ];
  return (
    <aside className="drawer" data-testid="message-drawer" aria-label={`Message at partition ${message.partition}, offset ${message.offset}`}>
      <header className="drawer-header">
        <div className="drawer-title-row">
          <h2 className="drawer-title">
            Partition {message.partition} · Offset {message.offset.toLocaleString()}
          </h2>
          {message.valid === true && (
            <span className="badge badge-ok" title="Passes every check of the contract">
              <CheckIcon size={12} /> valid
            </span>
          )}
          {message.valid === false && (
            <span className="badge badge-danger" title={message.errors.join('\n')}>
              <ErrorIcon size={12} /> {poison ? 'poison' : 'fails contract'}
            </span>
          )}
          <button type="button" className="icon-button drawer-close" onClick={onClose} aria-label="Close (Esc)" title="Close (Esc)">
            <CloseIcon />
          </button>
        </div>
        <div className="drawer-sub">
          <span title={formatUtc(message.timestamp)}>{formatLocalTime(message.timestamp)}</span>
          <span className="sep">·</span>
          <span className="drawer-key" title={message.key ?? 'no key'}>
            key <code>{message.key ?? 'null'}</code>
          </span>
          {message.key !== null && <CopyButton value={message.key} label="Copy key" />}
        </div>
        <div className="drawer-actions">
          <TextCopyButton text={() => valueText(message)} label="Copy value" testId="copy-value" />
          <TextCopyButton text={() => JSON.stringify(messageJson(message), null, 2)} label="Copy as JSON" testId="copy-json" />
          <span className="faint small drawer-hint">
            <Kbd>↑</Kbd>
            <Kbd>↓</Kbd> next message · <Kbd>Esc</Kbd> close
          </span>
        </div>
      </header>
      {message.errors.length > 0 && (
        <div className="drawer-errors" role="alert" data-testid="drawer-errors">
          <div className="drawer-errors-title">
            <ErrorIcon size={14} /> {poison ? 'Not decodable' : `Fails ${message.errors.length === 1 ? '1 check' : `${message.errors.length} checks`} of the contract`}
          </div>
          <ul>
            {message.errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="tabs" role="tablist" aria-label="Message views">
        {tabs.map(([id, label]) => (
          <button key={id} type="button" role="tab" id={`drawer-tab-${id}`} aria-selected={tab === id} aria-controls={`drawer-panel-${id}`} className="tab" onClick={() => setTab(id)} data-testid={id === 'raw' ? 'drawer-raw-tab' : `drawer-${id}-tab`}>
            {label}
          </button>
        ))}
      </div>
      <div className="drawer-body" role="tabpanel" id={`drawer-panel-${tab}`} aria-labelledby={`drawer-tab-${tab}`}>
        {tab === 'value' && <ValueTab message={message} schema={schema} />}
        {tab === 'headers' && <HeadersTab message={message} />}
        {tab === 'meta' && <MetaTab message={message} topic={topic} />}
        {tab === 'raw' && <RawTab target={target} message={message} />}
      </div>
    </aside>
  );
});
