// One TCP or TLS connection to one broker: connect (with a timeout), ApiVersions, SASL, then
// pipelined requests matched to responses by correlation id.
//
// Frames are reassembled without quadratic concatenation: once a frame's 4-byte size is known,
// one buffer of exactly that size is allocated and every incoming chunk is copied into it once
// (a frame that sits inside one chunk is used in place, without a copy).
import type { FramePool } from './frame-pool';
import net from 'node:net';
import tls from 'node:tls';
import { KafkaError, kafkaErrorName } from './errors';
import { Reader } from './protocol/decoder';
import { Writer } from './protocol/encoder';
import {
  API_NAMES,
  ApiKey,
  SUPPORTED,
  decodeApiVersions,
  decodeSaslAuthenticate,
  decodeSaslHandshake,
  encodeApiVersions,
  encodeSaslAuthenticate,
  encodeSaslHandshake,
  flexibleResponseHeader,
  isFlexible,
} from './protocol/requests';
import type { ApiKeyValue } from './protocol/requests';
import { SaslError, createMechanism } from './sasl';
import type { SaslOptions } from './sasl';

export interface TlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId: string;
  tls: TlsOptions | null;
  sasl: SaslOptions | null;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Caps on the negotiated versions (tests, broker quirks). */
  maxVersions?: Partial<Record<ApiKeyValue, number>>;
  /** How the cluster refers to this broker, for messages ("broker 1"). */
  nodeId?: number;
  /** Where frames too large for one read come from (shared by a client's connections). */
  frames?: FramePool;
}

interface Pending {
  apiKey: number;
  version: number;
  /** The answer goes in a frame with room after it (see FramePool). */
  room: boolean;
  flexibleHeader: boolean;
  resolve: (r: Reader) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | null;
}

const SOFTWARE_NAME = 'dpx-kafka';
const SOFTWARE_VERSION = '1.0.0';
/** Larger frames are refused: nothing this client asks for gets near it (fetch maxBytes is capped below). */
export const MAX_FRAME = 1024 * 1024 * 1024;

const NOOP = (): void => undefined;

function secs(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function isIp(host: string): boolean {
  return net.isIP(host) !== 0;
}

/** Node's TLS verification codes → what to do about them. */
function tlsHint(code: string | undefined, message: string): string {
  switch (code) {
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      return "; set tls.ca to the broker's CA certificate (PEM)";
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return '; the certificate is for other host names: connect by a name on the certificate or set tls.servername';
    case 'CERT_HAS_EXPIRED':
      return '; the broker certificate has expired';
    // The broker's verdict on us, sent as a TLS alert (with TLS 1.3 only after the handshake).
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
      return '; the listener requires a client certificate: set tls.cert and tls.key (PEM files)';
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN':
      return "; the broker does not trust the client certificate (tls.cert): it must be signed by a CA in the broker's truststore";
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return ': this port does not speak TLS; drop the tls option or use the SSL/SASL_SSL listener port';
    default:
      if (/wrong version number|packet length too long|unknown protocol/i.test(message)) {
        return ': this port does not speak TLS; drop the tls option or use the SSL/SASL_SSL listener port';
      }
      if (/disconnected before secure TLS connection/i.test(message)) {
        return '; the broker hung up during the TLS handshake: this port probably does not speak TLS (drop the tls option or use the SSL/SASL_SSL listener port)';
      }
      return '';
  }
}

export class BrokerConnection {
  readonly address: string;
  /** Negotiated version per API key (after connect()). */
  readonly versions = new Map<number, number>();
  /** When the SASL session ends (KIP-368); the client reconnects before. Infinity without SASL. */
  sessionExpiresAt = Infinity;
  /** Called once when the connection ends for any reason. */
  onClose: ((err: KafkaError | null) => void) | null = null;

  private socket: net.Socket | null = null;
  private closed = false;
  private closeError: KafkaError | null = null;
  private correlationId = 0;
  private readonly pending = new Map<number, Pending>();
  private ready = false;
  private phase: 'tcp' | 'tls' | 'apiVersions' = 'tcp';
  private closeWhenDrained = false;
  private answeredAfterReady = 0;
  // frame reassembly
  private sizeBuf = Buffer.alloc(4);
  private sizeHave = 0;
  private frame: Buffer | null = null;
  private frameHave = 0;
  // onread (plain TCP): where the next read lands
  private scratch: Buffer | null = null;
  private readingIntoFrame = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.address = `${opts.host}:${opts.port}`;
  }

  get label(): string {
    return this.opts.nodeId === undefined || this.opts.nodeId < 0 ? this.address : `${this.address} (node ${this.opts.nodeId})`;
  }

  get isOpen(): boolean {
    return !this.closed && this.socket !== null;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  // ---------------------------------------------------------------- connect

  async connect(): Promise<void> {
    const { connectTimeoutMs } = this.opts;
    const deadline = Date.now() + connectTimeoutMs;
    let timer: NodeJS.Timeout | null = null;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const phase = { tcp: 'no connection', tls: 'no TLS handshake', apiVersions: 'no answer to ApiVersions' }[this.phase];
        const e = new KafkaError('UNREACHABLE', `Kafka broker ${this.label} unreachable: ${phase} after ${secs(connectTimeoutMs)} (connect timeout)`, {
          broker: this.address,
        });
        this.destroy(e);
        reject(e);
      }, connectTimeoutMs);
    });
    try {
      await Promise.race([this.openSocket(), timeout]);
      // (the connect timer, not the request timeout, ends a silent broker here)
      await Promise.race([this.negotiateVersions(Math.max(1, deadline - Date.now()) + 1000), timeout]);
    } catch (e) {
      this.destroy(e instanceof KafkaError ? e : null);
      throw e;
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (this.opts.sasl) {
      try {
        await this.authenticate(this.opts.sasl);
      } catch (e) {
        this.destroy(e instanceof KafkaError ? e : null);
        throw e;
      }
    }
    this.ready = true;
  }

  private openSocket(): Promise<void> {
    const { host, port } = this.opts;
    const tlsOpts = this.opts.tls;
    return new Promise<void>((resolve, reject) => {
      let tcpUp = false;
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(this.connectError(err, tcpUp));
      };
      let socket: net.Socket;
      if (tlsOpts) {
        const servername = tlsOpts.servername ?? (isIp(host) ? undefined : host);
        socket = tls.connect({
          host,
          port,
          ...(servername ? { servername } : {}),
          ...(tlsOpts.ca !== undefined ? { ca: tlsOpts.ca } : {}),
          ...(tlsOpts.cert !== undefined ? { cert: tlsOpts.cert } : {}),
          ...(tlsOpts.key !== undefined ? { key: tlsOpts.key } : {}),
          ...(tlsOpts.passphrase !== undefined ? { passphrase: tlsOpts.passphrase } : {}),
          rejectUnauthorized: tlsOpts.rejectUnauthorized ?? true,
        });
        socket.once('connect', () => {
          tcpUp = true;
          this.phase = 'tls';
        });
        socket.once('secureConnect', () => {
          this.phase = 'apiVersions';
          socket.off('error', onError);
          this.attach(socket);
          resolve();
        });
      } else {
        // Plain TCP reads straight into the frame being assembled (onread): the kernel copies a
        // fetch response into its final buffer, no intermediate chunk and no second copy.
        socket = net.connect({ host, port, onread: { buffer: this.readTarget, callback: this.onRead } });
        socket.once('connect', () => {
          tcpUp = true;
          this.phase = 'apiVersions';
          socket.off('error', onError);
          this.attach(socket);
          resolve();
        });
      }
      socket.once('error', onError);
      this.socket = socket;
    });
  }

  private connectError(err: NodeJS.ErrnoException, tcpUp: boolean): KafkaError {
    const broker = this.address;
    const code = err.code ?? '';
    if (this.opts.tls && (tcpUp || /SSL|TLS|CERT|SELF_SIGNED|UNABLE_TO/.test(code))) {
      return new KafkaError(
        'TLS',
        `TLS handshake with Kafka broker ${this.label} failed: ${err.message}${tlsHint(err.code, err.message)}`,
        { broker, cause: err },
      );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return new KafkaError(
        'UNREACHABLE',
        `Kafka broker ${this.label} unreachable: host name '${this.opts.host}' not found (${code})` +
          (this.opts.nodeId !== undefined ? '; the cluster advertises this address: check advertised.listeners' : '; check the bootstrap address'),
        { broker, cause: err, retriable: code === 'EAI_AGAIN' || this.opts.nodeId !== undefined },
      );
    }
    const syscall = err.syscall ?? 'connect';
    return new KafkaError('UNREACHABLE', `Kafka broker ${this.label} unreachable: ${syscall} ${code || err.message}`, { broker, cause: err });
  }

  private attach(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (/^ERR_SSL_.*ALERT/.test(err.code ?? '')) {
        // Refused by the broker's TLS layer: a setting to fix, not a connection to retry.
        this.destroy(new KafkaError('TLS', `Kafka broker ${this.label} refused the TLS connection: ${err.message.trim()}${tlsHint(err.code, err.message)}`, { broker: this.address, cause: err }));
        return;
      }
      this.destroy(
        new KafkaError('UNREACHABLE', `connection to Kafka broker ${this.label} lost: ${err.code ?? err.message}${this.closeHint()}`, {
          broker: this.address,
          cause: err,
        }),
      );
    });
    socket.on('close', () => {
      const hint = this.closeHint();
      this.destroy(
        new KafkaError('UNREACHABLE', `connection to Kafka broker ${this.label} closed by the broker${hint}`, {
          broker: this.address,
          // a configuration problem, not worth retrying
          retriable: hint === '',
        }),
      );
    });
  }

  /** Why a broker drops a fresh connection: it wants TLS or SASL we do not speak. */
  private closeHint(): string {
    if (!this.ready && !this.opts.tls && this.versions.size === 0) {
      return ' before answering ApiVersions: the listener probably requires TLS (set tls), or this is not a Kafka port';
    }
    if (this.ready && this.answeredAfterReady === 0 && !this.opts.sasl) {
      return this.opts.tls
        ? ' on the first request: the listener probably requires SASL authentication (set sasl)'
        : ' on the first request: the listener probably requires TLS and/or SASL authentication (set tls / sasl)';
    }
    return '';
  }

  private async negotiateVersions(timeoutMs: number): Promise<void> {
    const [, ourMax] = SUPPORTED[ApiKey.ApiVersions];
    let r = await this.send(ApiKey.ApiVersions, ourMax, (w) => encodeApiVersions(w, ourMax, SOFTWARE_NAME, SOFTWARE_VERSION), { timeoutMs });
    let res = decodeApiVersions(r, ourMax);
    if (res.errorCode === 35) {
      // Older broker: it told us its range in a v0 body; ask again with a version it knows.
      const theirs = res.apis.get(ApiKey.ApiVersions);
      const v = Math.min(ourMax, theirs ? theirs[1] : 0);
      r = await this.send(ApiKey.ApiVersions, v, (w) => encodeApiVersions(w, v, SOFTWARE_NAME, SOFTWARE_VERSION), { timeoutMs });
      res = decodeApiVersions(r, v);
    }
    if (res.errorCode !== 0) {
      throw new KafkaError('PROTOCOL', `Kafka broker ${this.label} refused ApiVersions: ${kafkaErrorName(res.errorCode)}`, { broker: this.address });
    }
    for (const [key, [min, max]] of Object.entries(SUPPORTED)) {
      const k = Number(key) as ApiKeyValue;
      const theirs = res.apis.get(k);
      if (!theirs) continue;
      const cap = this.opts.maxVersions?.[k] ?? Infinity;
      const v = Math.min(max, theirs[1], cap);
      if (v >= min && v >= theirs[0]) this.versions.set(k, v);
    }
  }

  /** Negotiated version of an API, or a PROTOCOL error naming both ranges. */
  version(apiKey: ApiKeyValue): number {
    const v = this.versions.get(apiKey);
    if (v !== undefined) return v;
    const [min, max] = SUPPORTED[apiKey];
    throw new KafkaError(
      'PROTOCOL',
      `Kafka broker ${this.label} does not support ${API_NAMES[apiKey]} v${min}-v${max} (this client needs Kafka 2.1 or newer)`,
      { broker: this.address },
    );
  }

  private async authenticate(sasl: SaslOptions): Promise<void> {
    const mech = createMechanism(sasl);
    const who = `user '${sasl.username}' at Kafka broker ${this.label} (${mech.name})`;
    const timeoutMs = this.opts.requestTimeoutMs;
    const hsVersion = this.version(ApiKey.SaslHandshake);
    const hs = decodeSaslHandshake(await this.send(ApiKey.SaslHandshake, hsVersion, (w) => encodeSaslHandshake(w, mech.name), { timeoutMs }));
    if (hs.errorCode === 33) {
      throw new KafkaError(
        'AUTH_FAILED',
        `SASL authentication failed for ${who}: the broker does not offer ${mech.name}; it offers ${hs.mechanisms.join(', ') || 'none'}`,
        { broker: this.address, kafkaCode: 33 },
      );
    }
    if (hs.errorCode === 34) {
      throw new KafkaError(
        'AUTH_FAILED',
        `SASL authentication failed for ${who}: this listener does not use SASL (${kafkaErrorName(34)}); drop the sasl option or use the SASL listener's port`,
        { broker: this.address, kafkaCode: 34 },
      );
    }
    if (hs.errorCode !== 0) {
      throw new KafkaError('AUTH_FAILED', `SASL handshake failed for ${who}: ${kafkaErrorName(hs.errorCode)}`, {
        broker: this.address,
        kafkaCode: hs.errorCode,
      });
    }
    const av = this.version(ApiKey.SaslAuthenticate);
    let out: Buffer | null = mech.first();
    while (out) {
      const msg: Buffer = out;
      const res = decodeSaslAuthenticate(await this.send(ApiKey.SaslAuthenticate, av, (w) => encodeSaslAuthenticate(w, msg), { timeoutMs }), av);
      if (res.errorCode !== 0) {
        const detail = res.errorMessage ? ` (broker: ${res.errorMessage})` : '';
        const reason = res.errorCode === 58 ? 'wrong username or password' : kafkaErrorName(res.errorCode);
        throw new KafkaError('AUTH_FAILED', `SASL authentication failed for ${who}: ${reason}${detail}`, {
          broker: this.address,
          kafkaCode: res.errorCode,
        });
      }
      if (res.sessionLifetimeMs > 0) this.sessionExpiresAt = Date.now() + res.sessionLifetimeMs;
      try {
        out = await mech.next(res.authBytes);
      } catch (e) {
        if (e instanceof SaslError) {
          throw new KafkaError('AUTH_FAILED', `SASL authentication failed for ${who}: ${e.message}`, { broker: this.address, cause: e });
        }
        throw e;
      }
    }
  }

  // ---------------------------------------------------------------- requests

  /**
   * Sends one request; resolves with a Reader at the start of the response body (after the
   * header). Requests are pipelined: many may be in flight, answers come back in order.
   * On timeout the connection is closed (its state is unknown), as the Java client does.
   */
  send(
    apiKey: ApiKeyValue,
    version: number,
    encode: (w: Writer) => void,
    opts: { timeoutMs?: number; signal?: AbortSignal; room?: boolean } = {},
  ): Promise<Reader> {
    if (this.closed || !this.socket) {
      return Promise.reject(
        this.closeError ?? new KafkaError('CLOSED', `connection to Kafka broker ${this.label} is closed`, { broker: this.address, retriable: true }),
      );
    }
    if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
    const flexible = isFlexible(apiKey, version);
    const correlationId = (this.correlationId = (this.correlationId + 1) & 0x7fffffff);
    const w = new Writer(false, 128);
    w.int32(0).int16(apiKey).int16(version).int32(correlationId).legacyString(this.opts.clientId);
    if (flexible) w.uvarint(0); // request header v2 tagged fields
    w.flexible = flexible;
    encode(w);
    w.patchInt32(0, w.length - 4);
    const bytes = w.finish();

    return new Promise<Reader>((resolve, reject) => {
      const p: Pending = { apiKey, version, room: opts.room === true, flexibleHeader: flexibleResponseHeader(apiKey, version), resolve, reject, timer: null };
      const timeoutMs = opts.timeoutMs ?? this.opts.requestTimeoutMs;
      p.timer = setTimeout(() => {
        const e = new KafkaError(
          'TIMEOUT',
          `Kafka broker ${this.label} did not answer ${API_NAMES[apiKey]} within ${secs(timeoutMs)} (request timeout)`,
          { broker: this.address },
        );
        p.reject(e);
        p.reject = NOOP;
        this.destroy(new KafkaError('TIMEOUT', `connection to Kafka broker ${this.label} closed after a request timed out`, { broker: this.address }));
      }, timeoutMs);
      if (opts.signal) {
        const signal = opts.signal;
        const onAbort = (): void => {
          // The answer still arrives (in order) and is dropped.
          p.resolve = NOOP;
          p.reject = NOOP;
          if (p.timer) clearTimeout(p.timer);
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const done = (): void => signal.removeEventListener('abort', onAbort);
        const res = p.resolve;
        const rej = p.reject;
        p.resolve = (r) => {
          done();
          res(r);
        };
        p.reject = (e) => {
          done();
          rej(e);
        };
      }
      this.pending.set(correlationId, p);
      this.socket!.write(bytes);
    });
  }

  // ---------------------------------------------------------------- frames

  private readonly readTarget = (): Uint8Array => {
    if (this.frame) {
      this.readingIntoFrame = true;
      return this.frame.subarray(this.frameHave);
    }
    this.readingIntoFrame = false;
    return (this.scratch ??= Buffer.allocUnsafeSlow(64 * 1024));
  };

  private readonly onRead = (nread: number, buf: Uint8Array): boolean => {
    if (this.closed) return false;
    if (this.readingIntoFrame && this.frame) {
      this.frameHave += nread;
      if (this.frameHave === this.frame.length) {
        const f = this.frame;
        this.frame = null;
        this.frameHave = 0;
        this.onFrame(f);
      }
    } else {
      // The scratch buffer is reused: frames inside it are copied out.
      this.onData(buf as Buffer, nread, true);
    }
    return true;
  };

  private onData(chunk: Buffer, len = chunk.length, reused = false): void {
    let pos = 0;
    while (pos < len) {
      if (this.frame) {
        const need = this.frame.length - this.frameHave;
        const n = Math.min(need, len - pos);
        chunk.copy(this.frame, this.frameHave, pos, pos + n);
        this.frameHave += n;
        pos += n;
        if (this.frameHave === this.frame.length) {
          const f = this.frame;
          this.frame = null;
          this.frameHave = 0;
          this.onFrame(f);
          if (this.closed) return;
        }
        continue;
      }
      let size: number;
      if (this.sizeHave === 0 && len - pos >= 4) {
        size = chunk.readInt32BE(pos);
        pos += 4;
      } else {
        while (this.sizeHave < 4 && pos < len) this.sizeBuf[this.sizeHave++] = chunk[pos++]!;
        if (this.sizeHave < 4) return;
        size = this.sizeBuf.readInt32BE(0);
        this.sizeHave = 0;
      }
      if (size < 4 || size > MAX_FRAME) {
        const tlsLike = !this.opts.tls && (size >>> 24 === 0x15 || size >>> 24 === 0x16);
        this.destroy(
          new KafkaError(
            'PROTOCOL',
            `Kafka broker ${this.label} sent a malformed frame (size ${size})` +
              (tlsLike ? ': it answers in TLS, set the tls option' : ': is this a Kafka port?'),
            { broker: this.address },
          ),
        );
        return;
      }
      if (len - pos >= size) {
        // The whole frame is in this chunk: use it in place.
        const f = reused ? Buffer.from(chunk.subarray(pos, pos + size)) : chunk.subarray(pos, pos + size);
        pos += size;
        this.onFrame(f);
        if (this.closed) return;
      } else {
        // The answer's correlation id, when this read holds it, tells whether it wants room.
        const room = len - pos >= 4 && this.pending.get(chunk.readInt32BE(pos))?.room === true;
        this.frame = this.opts.frames ? this.opts.frames.take(size, room) : Buffer.allocUnsafeSlow(size);
        this.frameHave = 0;
      }
    }
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.readInt32BE(0);
    const p = this.pending.get(correlationId);
    if (!p) {
      this.destroy(
        new KafkaError('PROTOCOL', `Kafka broker ${this.label} answered an unknown request (correlation id ${correlationId})`, {
          broker: this.address,
        }),
      );
      return;
    }
    this.pending.delete(correlationId);
    if (p.timer) clearTimeout(p.timer);
    if (this.ready) this.answeredAfterReady++;
    const r = new Reader(frame, 4, p.flexibleHeader);
    try {
      r.tags(); // response header v1
    } catch (e) {
      p.reject(new KafkaError('PROTOCOL', `malformed response header from Kafka broker ${this.label}: ${(e as Error).message}`, { broker: this.address }));
      return;
    }
    r.flexible = isFlexible(p.apiKey as ApiKeyValue, p.version);
    p.resolve(r);
    if (this.closeWhenDrained && this.pending.size === 0) this.close();
  }

  // ---------------------------------------------------------------- close

  private destroy(err: KafkaError | null): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = err;
    const socket = this.socket;
    if (socket) {
      socket.removeAllListeners('data');
      socket.on('error', NOOP);
      socket.destroy();
    }
    const e = err ?? new KafkaError('CLOSED', `connection to Kafka broker ${this.label} closed`, { broker: this.address, retriable: true });
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(e);
    }
    this.pending.clear();
    this.frame = null;
    const cb = this.onClose;
    this.onClose = null;
    cb?.(err);
  }

  /** Closes once the requests in flight are answered (an expiring SASL session, a retired connection). */
  closeWhenIdle(): void {
    if (this.pending.size === 0) this.close();
    else this.closeWhenDrained = true;
  }

  /** Closes the socket; requests in flight fail with a CLOSED error. */
  close(): void {
    this.destroy(new KafkaError('CLOSED', `connection to Kafka broker ${this.label} closed by the client`, { broker: this.address }));
  }
}
