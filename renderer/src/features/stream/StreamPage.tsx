// `#/stream/<productId>` tails a product's stream port; `#/stream?capture=<file>` replays a
// capture file through the same view. The page checks the product has a stream mode, reads the
// stream's partitions and promise (stream.info), then hands over to the tail view.
import type { Product } from '../../../../shared/model/product';
import type { StreamInfo, StreamTarget } from '../../../../shared/model/stream';
import { useCall } from '../../app/backend';
import { useDocumentTitle } from '../../app/document-title';
import { hrefs, navigate } from '../../app/router';
import { TierBadge } from '../../components/badges';
import { ArrowLeftIcon, StreamIcon } from '../../components/icons';
import { Delayed, EmptyState, ErrorState, Loaded, Skeleton, SkeletonLines } from '../../components/states';
import { TailView } from './TailView';

function StreamHeader({ target, product, info, failed = false }: { target: StreamTarget; product?: Product; info: StreamInfo | undefined; failed?: boolean }) {
  // Until (or unless) the stream answers, the contract says which topic it is.
  const topic = info?.topic ?? product?.ports.find((p) => p.mode === 'stream')?.topic ?? ('capture' in target ? target.capture : undefined);
  return (
    <header className="stream-header">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        {product ? (
          <>
            <a href={hrefs.catalog()}>Catalog</a>
            <span className="sep" aria-hidden="true">/</span>
            <a href={hrefs.product(product.id)} title="Back to the product">
              {product.name}
            </a>
          </>
        ) : (
          <a href={hrefs.captures()}>Captures</a>
        )}
        <span className="sep" aria-hidden="true">/</span>
        <span aria-current="page">{'capture' in target ? target.capture : 'Stream'}</span>
      </nav>
      <div className="stream-title-row">
        <StreamIcon size={16} className="stream-title-icon" />
        <h1 data-testid="stream-title">{topic ?? (failed ? 'stream' : <Skeleton width={160} height={16} />)}</h1>
        {info && <span className="badge mono" title="Value format">{info.format}</span>}
        {info && (
          <span className={`badge ${info.live ? 'badge-live' : ''}`} title={info.live ? 'Read from a live broker' : 'Replayed from a recorded capture file, through the same path as a live tail'}>
            {info.live ? 'live broker' : 'capture replay'}
          </span>
        )}
        {product && <TierBadge tier={product.tier} promise={product.tierPromise} />}
        {info && !info.validating && <span className="badge" title="No contract applies: messages are shown, not checked">not validated</span>}
        {info && (
          <span className="stream-partitions faint small">
            {info.partitions.length} partition{info.partitions.length === 1 ? '' : 's'} · {info.partitions.reduce((a, p) => a + (p.high - p.low), 0).toLocaleString()} messages held
          </span>
        )}
      </div>
    </header>
  );
}

function StreamView({ target, product }: { target: StreamTarget; product?: Product }) {
  const info = useCall('stream.info', { target });
  useDocumentTitle(`Tail ${info.data?.topic ?? ('capture' in target ? target.capture : (product?.name ?? ''))}`);
  if (info.error) {
    return (
      <div className="stream-page">
        <StreamHeader target={target} product={product} info={undefined} failed />
        <div className="stream-error">
          <ErrorState error={info.error} title={info.error.code === 'KAFKA_UNREACHABLE' ? 'Cannot reach the broker' : 'Cannot open this stream'}>
            <button type="button" className="button" onClick={info.reload}>
              Retry
            </button>
            {product && (
              <a className="button" href={hrefs.product(product.id)}>
                <ArrowLeftIcon size={14} /> Back to the product
              </a>
            )}
            {/* Offline, recorded captures still replay in this same view. */}
            {info.error.code === 'KAFKA_UNREACHABLE' && (
              <a className="button" href={hrefs.captures()} data-testid="stream-error-captures">
                Replay a capture
              </a>
            )}
          </ErrorState>
        </div>
      </div>
    );
  }
  return (
    <div className="stream-page">
      <StreamHeader target={target} product={product} info={info.data} />
      {info.data ? (
        // Replays end at the end of their file, so "latest" would show nothing: they start at the beginning.
        <TailView target={target} info={info.data} product={product} defaultFrom={info.data.live ? 'latest' : 'earliest'} />
      ) : (
        <Delayed>
          <div className="stream-loading">
            <SkeletonLines lines={2} />
            <p className="faint">Opening the stream…</p>
          </div>
        </Delayed>
      )}
    </div>
  );
}

function ProductStream({ id }: { id: string }) {
  const product = useCall('catalog.get', { id });
  return (
    <Loaded
      call={product}
      what={`product “${id}”`}
      skeleton={<Skeleton width={240} height={18} />}
      errorActions={
        <button type="button" className="button" onClick={() => navigate(hrefs.catalog())}>
          Open the catalog
        </button>
      }
    >
      {(p) =>
        p.modes.includes('stream') ? (
          <StreamView target={{ product: p.id }} product={p} />
        ) : (
          <div className="page">
            <EmptyState title="This product has no stream mode" icon={<StreamIcon size={20} />}>
              <strong>{p.name}</strong> is read as {p.modes.length ? p.modes.join(' and ') : 'nothing yet'}: none of its contracts declares a Kafka server. <a href={hrefs.product(p.id)}>Back to the product</a>
            </EmptyState>
          </div>
        )
      }
    </Loaded>
  );
}

export function StreamPage({ target }: { target: { product: string } | { capture: string } }) {
  if ('product' in target) return <ProductStream id={target.product} />;
  return <StreamView target={target} />;
}
