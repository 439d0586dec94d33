// `#/stream`: the workspace's capture files (recorded tails), each replayable in the stream view
// exactly as it was read, with no broker.
import { useCall } from '../../app/backend';
import { useDocumentTitle } from '../../app/document-title';
import { hrefs } from '../../app/router';
import { formatBytes, plural } from '../../components/format';
import { StreamIcon } from '../../components/icons';
import { EmptyState, Loaded, SkeletonLines } from '../../components/states';
import { formatDuration, formatLocalTime, formatUtc } from './message-format';

export function CapturesPage() {
  useDocumentTitle('Captures');
  const captures = useCall('captures.list', {});
  return (
    <main className="page captures-page">
      <header className="page-header">
        <h1>Captures</h1>
        <p className="muted">Recorded tails (Parquet files in the workspace&apos;s captures folders). Open one to replay it in the stream view, checked against its product&apos;s contract when the workspace has one for its topic. Record new ones with “Record capture” while tailing.</p>
      </header>
      <Loaded call={captures} what="the captures" skeleton={<SkeletonLines lines={4} />}>
        {({ captures: list }) =>
          list.length === 0 ? (
            <EmptyState title="No captures yet" icon={<StreamIcon size={20} />}>
              Tail a stream with <strong>Record capture</strong> on to keep what it read, then replay it here without a broker.
            </EmptyState>
          ) : (
            <section className="panel" data-testid="captures-list">
              <header className="panel-header">
                <h2>
                  Capture files <span className="count">{list.length}</span>
                </h2>
              </header>
              <div className="table-scroll">
                <table className="table">
                  <thead>
                    <tr>
                      <th>File</th>
                      <th>Topic</th>
                      <th className="num">Messages</th>
                      <th className="num">Size</th>
                      <th>Time span</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((c) => (
                      <tr key={c.file} data-testid={`capture-row-${c.file}`}>
                        <td>
                          <a className="mono" href={hrefs.capture(c.file)}>
                            {c.file}
                          </a>
                        </td>
                        <td className="mono">{c.topic}</td>
                        <td className="num">{c.messages.toLocaleString()}</td>
                        <td className="num">{formatBytes(c.bytes)}</td>
                        <td>
                          {c.first !== null && c.last !== null ? (
                            <span title={`${formatUtc(c.first)} → ${formatUtc(c.last)}`}>
                              {formatLocalTime(c.first).slice(0, 19)} → {formatLocalTime(c.last).slice(0, 19)} <span className="faint">({formatDuration(c.last - c.first)})</span>
                            </span>
                          ) : (
                            <span className="faint">empty</span>
                          )}
                        </td>
                        <td className="num">
                          <a className="button small-button" href={hrefs.capture(c.file)} data-testid={`capture-open-${c.file}`} title={`Replay ${plural(c.messages, 'message')}`}>
                            Replay
                          </a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )
        }
      </Loaded>
    </main>
  );
}
