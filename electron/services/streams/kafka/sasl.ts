// SASL mechanisms over Kafka's SaslAuthenticate (KIP-152): PLAIN (RFC 4616) and SCRAM-SHA-256/512
// (RFC 5802 / RFC 7677), with node:crypto only. Each mechanism is a small state machine: the
// connection sends what `first()` returns, then feeds every server message to `next()` until it
// returns null (done). Throws SaslError for anything the server says that does not add up.
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export type SaslMechanismName = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface SaslOptions {
  mechanism: SaslMechanismName;
  username: string;
  password: string;
}

export class SaslError extends Error {}

export interface SaslMechanism {
  /** The name Kafka knows it by (SaslHandshake). */
  readonly name: string;
  first(): Buffer;
  /** Answer to a server message, or null when the exchange is complete. */
  next(serverMessage: Buffer): Promise<Buffer | null>;
}

export function createMechanism(opts: SaslOptions, nonce?: string): SaslMechanism {
  switch (opts.mechanism) {
    case 'plain':
      return new Plain(opts.username, opts.password);
    case 'scram-sha-256':
      return new Scram('sha256', opts.username, opts.password, nonce);
    case 'scram-sha-512':
      return new Scram('sha512', opts.username, opts.password, nonce);
    default:
      throw new SaslError(`unsupported SASL mechanism '${String(opts.mechanism)}' (use plain, scram-sha-256 or scram-sha-512)`);
  }
}

/** PLAIN: one message, authzid NUL authcid NUL password (authzid empty). */
export class Plain implements SaslMechanism {
  readonly name = 'PLAIN';
  constructor(
    private readonly username: string,
    private readonly password: string,
  ) {}

  first(): Buffer {
    return Buffer.from(`\u0000${this.username}\u0000${this.password}`, 'utf8');
  }

  async next(): Promise<Buffer | null> {
    return null;
  }
}

/** RFC 5802 saslname: ',' and '=' escaped. */
function saslName(s: string): string {
  return s.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function parseAttributes(msg: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of msg.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

export class Scram implements SaslMechanism {
  readonly name: string;
  private readonly clientNonce: string;
  private readonly clientFirstBare: string;
  private state: 'first' | 'final' | 'done' = 'first';
  private expectedServerSignature: Buffer | null = null;
  /** Minimum iteration count accepted (RFC 7677 asks 4096; Kafka's minimum is 4096 as well). */
  static readonly MIN_ITERATIONS = 4096;

  constructor(
    private readonly hash: 'sha256' | 'sha512',
    username: string,
    private readonly password: string,
    nonce?: string,
  ) {
    this.name = hash === 'sha256' ? 'SCRAM-SHA-256' : 'SCRAM-SHA-512';
    // Printable, without ',': base64 of 24 random bytes.
    this.clientNonce = nonce ?? randomBytes(24).toString('base64');
    this.clientFirstBare = `n=${saslName(username)},r=${this.clientNonce}`;
  }

  first(): Buffer {
    return Buffer.from(`n,,${this.clientFirstBare}`, 'utf8');
  }

  async next(serverMessage: Buffer): Promise<Buffer | null> {
    const msg = serverMessage.toString('utf8');
    const attrs = parseAttributes(msg);
    if (attrs.has('e')) throw new SaslError(`the server refused: ${attrs.get('e')}`);
    if (this.state === 'first') {
      const nonce = attrs.get('r');
      const salt = attrs.get('s');
      const iterations = Number(attrs.get('i'));
      if (!nonce || !salt || !Number.isInteger(iterations)) throw new SaslError(`malformed server-first message '${msg}'`);
      if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
        throw new SaslError('the server nonce does not extend the client nonce');
      }
      if (iterations < Scram.MIN_ITERATIONS) throw new SaslError(`the server asks for only ${iterations} iterations (at least 4096 expected)`);
      const keyLength = this.hash === 'sha256' ? 32 : 64;
      const salted = await pbkdf2Async(Buffer.from(this.password, 'utf8'), Buffer.from(salt, 'base64'), iterations, keyLength, this.hash);
      const clientKey = createHmac(this.hash, salted).update('Client Key').digest();
      const storedKey = createHash(this.hash).update(clientKey).digest();
      const clientFinalWithoutProof = `c=biws,r=${nonce}`; // biws = base64("n,,")
      const authMessage = `${this.clientFirstBare},${msg},${clientFinalWithoutProof}`;
      const clientSignature = createHmac(this.hash, storedKey).update(authMessage).digest();
      const proof = xor(clientKey, clientSignature).toString('base64');
      const serverKey = createHmac(this.hash, salted).update('Server Key').digest();
      this.expectedServerSignature = createHmac(this.hash, serverKey).update(authMessage).digest();
      this.state = 'final';
      return Buffer.from(`${clientFinalWithoutProof},p=${proof}`, 'utf8');
    }
    if (this.state === 'final') {
      const v = attrs.get('v');
      if (!v) throw new SaslError(`malformed server-final message '${msg}'`);
      const got = Buffer.from(v, 'base64');
      const want = this.expectedServerSignature!;
      if (got.length !== want.length || !timingSafeEqual(got, want)) {
        throw new SaslError('the server signature does not match: the broker does not know the password (possible impostor)');
      }
      this.state = 'done';
      return null;
    }
    throw new SaslError('unexpected message after the SCRAM exchange completed');
  }
}
