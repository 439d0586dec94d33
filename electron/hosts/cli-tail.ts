// `dpx tail`: a product's stream (live Kafka or its capture), or a raw topic, to the terminal.
// It drives the stream service directly rather than through the in-process transport: the
// contract's per-event validation would cost more than decoding at a million messages a second,
// and the service and its checks are the same ones the app uses.
import { once } from 'node:events';
import { resolve } from 'node:path';
import { ApiError } from '../../shared/api/errors';
import { parseStartPosition, type StreamMessage, type StreamTarget, type TailEvent, type TailRequest } from '../../shared/model/stream';
import { openServices } from '../services/services';

export interface TailCliOptions {
  workspace: string;
  json: boolean;
  product?: string;
  topic?: string;
  bootstrap?: string;
  from?: string;
  partitions?: string;
  limit?: number;
  filter?: string;
  capture?: string;
  toEnd?: boolean;
}

/** NDJSON: one object per message, fields in a stable order. */
export function messageJson(m: StreamMessage): string {
  return JSON.stringify({ partition: m.partition, offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value, headers: m.headers, valid: m.valid ?? null, errors: m.errors });
}

function messageText(m: StreamMessage): string {
  const mark = m.valid === undefined ? ' ' : m.valid ? '✓' : '✗';
  const value = m.valueEncoding === 'json' || m.valueEncoding === 'avro' ? JSON.stringify(m.value) : String(m.value);
  const errors = m.errors.length ? `  ← ${m.errors.join('; ')}` : '';
  return `${mark} p${m.partition}@${m.offset} ${new Date(m.timestamp).toISOString()} ${m.key ?? '∅'} ${value}${errors}`;
}

function target(o: TailCliOptions): StreamTarget {
  if (o.topic) return { topic: o.topic, ...(o.bootstrap ? { bootstrap: o.bootstrap } : {}) };
  if (!o.product) throw new ApiError('BAD_REQUEST', 'Name a product (dpx tail sales.orders) or a raw topic (dpx tail --topic NAME --bootstrap HOST:PORT)');
  return { product: o.product };
}

function partitions(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(,\d+)*$/.test(text)) throw new ApiError('BAD_REQUEST', `--partitions takes a comma-separated list like 0,1,2, not "${text}"`);
  return text.split(',').map(Number);
}

export async function runTailCli(o: TailCliOptions): Promise<void> {
  let from;
  try {
    from = parseStartPosition(o.from ?? 'latest');
  } catch (e) {
    throw new ApiError('BAD_REQUEST', (e as Error).message);
  }
  const req: TailRequest = {
    target: target(o),
    from,
    toEnd: o.toEnd ?? false,
    ...(partitions(o.partitions) ? { partitions: partitions(o.partitions)! } : {}),
    ...(o.limit !== undefined ? { limit: o.limit } : {}),
    ...(o.filter ? { filter: o.filter } : {}),
  };
  const services = await openServices({ workspace: o.workspace });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A closed pipe (`dpx tail … | head`) ends the tail quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? stop() : undefined));
  const format = o.json ? messageJson : messageText;
  let writing: Promise<unknown> = Promise.resolve();
  const emit = (e: TailEvent) => {
    if (e.kind === 'messages') {
      let chunk = '';
      for (const m of e.messages) chunk += format(m) + '\n';
      if (!process.stdout.write(chunk)) writing = once(process.stdout, 'drain');
    } else if (e.kind === 'status' && e.message && !o.json) process.stderr.write(`[${e.state}] ${e.message}\n`);
    else if (e.kind === 'status' && e.state === 'reconnecting') process.stderr.write(`[reconnecting] ${e.message ?? ''}\n`);
    else if (e.kind === 'started' && !o.json) process.stderr.write(`Tailing ${e.source} (${e.positions.length} partitions, ${e.format}${e.validating ? ', checked against the contract' : ''})\n`);
  };
  try {
    const result = await services.streams.tail(req, (e) => {
      emit(e);
    }, controller.signal, o.capture ? resolve(o.capture) : undefined);
    await writing;
    if (!o.json && result.stats.checked) {
      const rate = (100 * result.stats.passed) / result.stats.checked;
      process.stderr.write(`${result.stats.passed}/${result.stats.checked} passed the contract (${rate.toFixed(4)} %)\n`);
    }
    if (o.capture) process.stderr.write(`Captured to ${resolve(o.capture)}\n`);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await services.close();
  }
}
