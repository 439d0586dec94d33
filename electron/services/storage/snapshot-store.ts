// Where daily Parquet snapshots are read from: a local folder or an S3-compatible object store.
// Both list the days under a location (see snapshot-layout.ts for the layouts), read byte ranges
// (Parquet footers), answer HEAD, and download a file safely: into `<dest>.partial`, resumable
// from where it stopped (HTTP Range from the partial's size, If-Match on the ETag it started with
// so a changed object is never stitched onto old bytes), verified (single-part ETag = MD5 of the
// content; multipart ETags contain '-': size + a HEAD whose ETag still matches), then renamed.
//
// Credentials: explicit keys come from secret references (`accessKeyIdRef`, `secretAccessKeyRef`:
// `env:VAR`); a `profile` is handed to the SDK, which reads ~/.aws/{credentials,config}; without
// either the S3Client uses the SDK's default provider chain (environment, shared files, SSO, web
// identity, container/instance roles). `@aws-sdk/credential-providers` is not a dependency of this
// project, so its `fromIni`/`fromNodeProviderChain` are not used: the client's own chain does the
// same. Secrets are never logged, never written, and never part of an error message — only the
// access key id is, which is what a person needs to see which credentials were refused.
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { resolveSecret } from '../secrets';
import { layoutMatcher } from './snapshot-layout';
import { StorageError, cancelled, isStorageError, networkCode } from './storage-errors';
import { codeUnitOrder } from '../code-unit-order';

// ---------------------------------------------------------------------------------------------
// The interface

export interface SnapshotFile {
  /** The store's address of the file: `s3://bucket/key` for S3, an absolute path for a folder. */
  key: string;
  /** The file's path below its day folder: `part-0.parquet`. */
  name: string;
  size: number;
  /** The object's ETag without quotes (a folder: the MD5 of the content, like a single-part S3 upload). */
  etag: string | null;
  /** ISO 8601. */
  lastModified: string;
}

export interface SnapshotDayListing {
  /** YYYY-MM-DD */
  date: string;
  /** The day folder relative to the location: `date=2026-10-01/`. */
  dayPath: string;
  files: SnapshotFile[];
}

export interface ObjectInfo {
  key: string;
  size: number;
  etag: string | null;
  lastModified: string;
}

export interface ListOptions {
  /** The contract's `snapshotLayout`, when it declares one. */
  layout?: string | null;
  signal?: AbortSignal;
}

export interface ReadOptions {
  signal?: AbortSignal;
  /** Only read if the object still has this ETag (else a `changed` StorageError). */
  ifMatch?: string | null;
}

export interface DownloadProgress {
  key: string;
  /** Bytes of the file on disk so far (a resumed download starts at the partial's size). */
  bytesDone: number;
  bytesTotal: number;
  /** Where this attempt started (0, or the size of the partial file it resumed). */
  resumedFrom: number;
}

export interface DownloadOptions {
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** What the caller listed: the download fails with a `changed` StorageError when the object differs. */
  expect?: { etag?: string | null; size?: number };
  /** Bandwidth cap for this download (bytes per second); none by default. */
  maxBytesPerSecond?: number;
}

export interface DownloadResult {
  key: string;
  path: string;
  size: number;
  etag: string | null;
  lastModified: string;
  /** Bytes fetched by this call (less than `size` when it resumed a partial file). */
  bytesFetched: number;
  /** The size of the partial file this call resumed from (0: a fresh download). */
  resumedFrom: number;
  /** How the content was checked: MD5 against a single-part ETag, or size + unchanged ETag (multipart). */
  verified: 'md5' | 'size+etag' | 'size';
}

export type FileRef = string | { key: string };

export interface SnapshotStore {
  readonly kind: 'local' | 's3';
  /** Where it reads, safe to show: `S3 at http://127.0.0.1:9000`, `folder /data/lake`. */
  readonly description: string;
  /** Every snapshot day under a location (`s3://bucket/prefix/` or a folder), sorted by date. */
  listDays(location: string, opts?: ListOptions): Promise<SnapshotDayListing[]>;
  /** Bytes [start, end) of a file (end exclusive). */
  readRange(file: FileRef, start: number, end: number, opts?: ReadOptions): Promise<Uint8Array>;
  head(file: FileRef, opts?: { signal?: AbortSignal }): Promise<ObjectInfo>;
  /** Downloads to `dest` through `dest.partial` (resumable), verified; see the module comment. */
  download(file: FileRef, dest: string, opts?: DownloadOptions): Promise<DownloadResult>;
}

const keyOf = (f: FileRef) => (typeof f === 'string' ? f : f.key);

/** ETags as S3 sends them are quoted (and may be weak); we keep the bare value. */
export function normalizeEtag(etag: string | null | undefined): string | null {
  if (!etag) return null;
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}

/** A single-part S3 ETag is the hex MD5 of the object; multipart ETags are `<md5 of md5s>-<parts>`. */
export function isMd5Etag(etag: string | null): etag is string {
  return !!etag && /^[0-9a-f]{32}$/i.test(etag);
}

export async function md5OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path, signal ? { signal } : {})) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Download, shared by both stores

interface OpenedRead {
  body: AsyncIterable<Uint8Array> & { destroy?: (e?: Error) => void };
  info: ObjectInfo;
  /** Where the body starts (a server may ignore a Range request and send the whole object). */
  from: number;
}

interface PartialMeta {
  key: string;
  etag: string | null;
  size: number;
  lastModified: string;
  startedAt: string;
}

abstract class BaseStore implements SnapshotStore {
  abstract readonly kind: 'local' | 's3';
  abstract readonly description: string;
  abstract listDays(location: string, opts?: ListOptions): Promise<SnapshotDayListing[]>;
  abstract readRange(file: FileRef, start: number, end: number, opts?: ReadOptions): Promise<Uint8Array>;
  abstract head(file: FileRef, opts?: { signal?: AbortSignal }): Promise<ObjectInfo>;
  /** The object from byte `start` to its end; `ifMatch` set: fails with `changed` when the ETag differs. */
  protected abstract openRead(key: string, start: number, ifMatch: string | null, signal?: AbortSignal): Promise<OpenedRead>;

  async download(file: FileRef, dest: string, opts: DownloadOptions = {}): Promise<DownloadResult> {
    const key = keyOf(file);
    const { signal } = opts;
    const partial = `${dest}.partial`;
    const metaFile = `${dest}.partial.json`;
    await mkdir(dirname(dest), { recursive: true });
    if (signal?.aborted) throw cancelled(`Download of ${key}`);
    const expectEtag = normalizeEtag(opts.expect?.etag);

    let meta = await readJson<PartialMeta>(metaFile);
    let offset = (await stat(partial).catch(() => null))?.size ?? 0;
    const discard = async () => {
      await rm(partial, { force: true });
      await rm(metaFile, { force: true });
      offset = 0;
      meta = null;
    };
    // A partial is only resumable when we know which version of the object it holds.
    if (offset > 0 && (!meta || meta.key !== key || !meta.etag || offset > meta.size || (expectEtag && meta.etag !== expectEtag))) await discard();
    if (offset === 0) meta = null;

    let opened: OpenedRead | null = null;
    let info: ObjectInfo;
    if (meta && offset === meta.size) {
      info = { key, size: meta.size, etag: meta.etag, lastModified: meta.lastModified };
    } else {
      const ifMatch = expectEtag ?? meta?.etag ?? null;
      try {
        opened = await this.openRead(key, offset, ifMatch, signal);
      } catch (e) {
        // The partial came from a version that no longer exists, and the caller did not pin one: start over.
        if (!isStorageError(e, 'changed') || expectEtag || offset === 0) throw e;
        await discard();
        opened = await this.openRead(key, 0, null, signal);
      }
      info = opened.info;
    }
    if (opts.expect?.size !== undefined && info.size !== opts.expect.size) {
      opened?.body.destroy?.();
      throw new StorageError('changed', `${key} changed: listed with ${opts.expect.size} bytes, now ${info.size} bytes`, { key, size: info.size, etag: info.etag });
    }
    if (expectEtag && info.etag && info.etag !== expectEtag) {
      opened?.body.destroy?.();
      throw new StorageError('changed', `${key} changed: listed with ETag ${expectEtag}, now ${info.etag}`, { key, size: info.size, etag: info.etag });
    }
    if (opened && opened.from !== offset) {
      // The server ignored the Range and sent the object from the start: the partial is rewritten.
      await rm(partial, { force: true });
      offset = opened.from;
      meta = null;
    }
    const resumedFrom = offset;
    if (!meta) {
      meta = { key, etag: info.etag, size: info.size, lastModified: info.lastModified, startedAt: new Date().toISOString() };
      await writeFile(metaFile, JSON.stringify(meta));
    }

    const hash = offset === 0 ? createHash('md5') : null;
    let done = offset;
    let fetched = 0;
    if (opened) {
      const fh = await open(partial, offset === 0 ? 'w' : 'a');
      const t0 = Date.now();
      try {
        opts.onProgress?.({ key, bytesDone: done, bytesTotal: info.size, resumedFrom });
        for await (const chunk of opened.body) {
          if (signal?.aborted) throw signal.reason ?? new Error('aborted');
          if (done + chunk.byteLength > info.size) {
            throw new StorageError('corrupt', `${key}: the server sent more than the ${info.size} bytes it announced`, { key });
          }
          await fh.write(chunk);
          hash?.update(chunk);
          done += chunk.byteLength;
          fetched += chunk.byteLength;
          opts.onProgress?.({ key, bytesDone: done, bytesTotal: info.size, resumedFrom });
          if (opts.maxBytesPerSecond) {
            const due = (fetched / opts.maxBytesPerSecond) * 1000 - (Date.now() - t0);
            if (due > 0) await sleep(due, undefined, signal ? { signal } : {});
          }
        }
      } catch (e) {
        opened.body.destroy?.();
        await fh.sync().catch(() => undefined);
        await fh.close().catch(() => undefined);
        if (isStorageError(e, 'corrupt')) {
          await discard();
          throw e;
        }
        if (signal?.aborted) {
          throw new StorageError('cancelled', `Download of ${key} was cancelled after ${done} of ${info.size} bytes; it resumes from there`, { key, bytesDone: done, partial });
        }
        throw new StorageError('interrupted', `Download of ${key} from ${this.description} was interrupted after ${done} of ${info.size} bytes (${describeCause(e)}); retry to resume from there`, { key, bytesDone: done, partial });
      }
      await fh.sync();
      await fh.close();
    }
    if (done !== info.size) {
      throw new StorageError('interrupted', `Download of ${key} from ${this.description} ended after ${done} of ${info.size} bytes; retry to resume from there`, { key, bytesDone: done, partial });
    }

    // Verify before the file takes its name: nothing unverified is ever at `dest`.
    let verified: DownloadResult['verified'];
    if (isMd5Etag(info.etag)) {
      const md5 = hash && resumedFrom === 0 ? hash.digest('hex') : await md5OfFile(partial, signal);
      if (md5 !== info.etag.toLowerCase()) {
        await discard();
        throw new StorageError('corrupt', `Download of ${key} failed verification: the content's MD5 ${md5} is not its ETag ${info.etag}; the partial file was removed`, { key });
      }
      verified = 'md5';
    } else if (info.etag) {
      const now = await this.head(key, signal ? { signal } : {});
      if (now.etag !== info.etag || now.size !== info.size) {
        await discard();
        throw new StorageError('changed', `${key} changed while it was downloaded (ETag ${info.etag} → ${now.etag}, ${info.size} → ${now.size} bytes); the partial file was removed`, { key });
      }
      verified = 'size+etag';
    } else verified = 'size';
    await rename(partial, dest);
    await rm(metaFile, { force: true });
    return { key, path: dest, size: info.size, etag: info.etag, lastModified: info.lastModified, bytesFetched: fetched, resumedFrom, verified };
  }
}

function describeCause(e: unknown): string {
  const code = networkCode(e);
  const msg = e instanceof Error ? e.message : String(e);
  return code && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

function groupDays(entries: Array<{ rel: string; file: Omit<SnapshotFile, 'name'> }>, layout: string | null | undefined): SnapshotDayListing[] {
  const match = layoutMatcher(layout);
  const days = new Map<string, SnapshotDayListing>();
  for (const { rel, file } of entries) {
    const m = match(rel);
    if (!m) continue;
    let day = days.get(m.date);
    if (!day) days.set(m.date, (day = { date: m.date, dayPath: m.dayPath, files: [] }));
    day.files.push({ ...file, name: m.name });
  }
  for (const d of days.values()) d.files.sort((a, b) => codeUnitOrder(a.key, b.key));
  return [...days.values()].sort((a, b) => codeUnitOrder(a.date, b.date));
}

// ---------------------------------------------------------------------------------------------
// A folder

/**
 * Snapshots in a local folder. `root` is the folder a `local` connection names: an `s3://bucket/prefix/`
 * location is read from `<root>/prefix/` (the folder mirrors the bucket), a relative path from
 * `<root>/<path>`, an absolute path as it is. ETags are the MD5 of the content (computed once per
 * file version, i.e. per size + modification time), the same as a single-part upload of the file.
 */
export class LocalSnapshotStore extends BaseStore {
  readonly kind = 'local' as const;
  readonly description: string;
  private readonly etags = new Map<string, string>();

  /**
   * `etag: 'md5'` (default) makes ETags like a single-part S3 upload's, for verifying copies;
   * `'stat'` uses size and modification time instead (as web servers do for files), for callers
   * that only need to list a large local mirror without reading every byte of it.
   */
  constructor(
    readonly root: string,
    private readonly etagKind: 'md5' | 'stat' = 'md5',
  ) {
    super();
    this.description = `folder ${root}`;
  }

  /** The folder a location maps to. */
  folderOf(location: string): string {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
      const rest = location.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*\/?/i, '');
      return resolve(this.root, stripGlob(rest));
    }
    return isAbsolute(location) ? location : resolve(this.root, location);
  }

  async listDays(location: string, opts: ListOptions = {}): Promise<SnapshotDayListing[]> {
    const folder = this.folderOf(location);
    const st = await stat(folder).catch(() => null);
    if (!st?.isDirectory()) throw new StorageError('not-found', `No snapshot folder at ${folder}${location !== folder ? ` (for ${location})` : ''}`, { path: folder });
    const files: string[] = [];
    const walk = async (dir: string) => {
      if (opts.signal?.aborted) throw cancelled(`Listing ${folder}`);
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.name.startsWith('.')) continue;
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile() && e.name.endsWith('.parquet')) files.push(p);
      }
    };
    await walk(folder);
    const entries = await mapLimit(files, 8, async (p) => {
      const info = await this.infoOf(p, opts.signal);
      return { rel: relative(folder, p).split(sep).join('/'), file: info };
    });
    return groupDays(entries, opts.layout);
  }

  private async infoOf(path: string, signal?: AbortSignal, st?: Stats): Promise<ObjectInfo> {
    const s = st ?? (await this.statFile(path));
    if (this.etagKind === 'stat') return { key: path, size: s.size, etag: `${s.size.toString(16)}-${Math.trunc(s.mtimeMs).toString(16)}`, lastModified: s.mtime.toISOString() };
    const memo = `${path}\0${s.size}\0${s.mtimeMs}`;
    let etag = this.etags.get(memo);
    if (!etag) {
      etag = await md5OfFile(path, signal);
      this.etags.set(memo, etag);
    }
    return { key: path, size: s.size, etag, lastModified: s.mtime.toISOString() };
  }

  private async statFile(path: string): Promise<Stats> {
    const s = await stat(path).catch(() => null);
    if (!s?.isFile()) throw new StorageError('not-found', `${path} does not exist`, { path });
    return s;
  }

  async head(file: FileRef, opts: { signal?: AbortSignal } = {}): Promise<ObjectInfo> {
    return this.infoOf(keyOf(file), opts.signal);
  }

  async readRange(file: FileRef, start: number, end: number, opts: ReadOptions = {}): Promise<Uint8Array> {
    const path = keyOf(file);
    if (opts.ifMatch) {
      const info = await this.infoOf(path, opts.signal);
      if (info.etag !== normalizeEtag(opts.ifMatch)) throw new StorageError('changed', `${path} changed: ETag ${info.etag}, expected ${normalizeEtag(opts.ifMatch)}`, { key: path });
    } else await this.statFile(path);
    const length = Math.max(0, end - start);
    const buf = new Uint8Array(length);
    const fh = await open(path, 'r');
    try {
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  protected async openRead(key: string, start: number, ifMatch: string | null, signal?: AbortSignal): Promise<OpenedRead> {
    const st = await this.statFile(key);
    const info = await this.infoOf(key, signal, st);
    if (ifMatch && info.etag !== normalizeEtag(ifMatch)) {
      throw new StorageError('changed', `${key} changed: ETag ${info.etag}, expected ${normalizeEtag(ifMatch)}`, { key });
    }
    const body = createReadStream(key, { start, ...(signal ? { signal } : {}) });
    return { body, info, from: start };
  }
}

function stripGlob(path: string): string {
  const parts = path.split('/');
  while (parts.length && /[*?[]/.test(parts[parts.length - 1]!)) parts.pop();
  return parts.join('/');
}

// ---------------------------------------------------------------------------------------------
// S3 and compatible servers

export interface S3StoreConfig {
  /** A custom endpoint (MinIO, S3Proxy, Ceph…); AWS when absent. */
  endpoint?: string;
  region?: string;
  profile?: string;
  forcePathStyle?: boolean;
  /** Explicit keys (resolved from secret references); otherwise `profile`, otherwise the default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Where the credentials come from, named in access-denied messages (never the values). */
  credentialSource?: string;
  /** TCP connect timeout (default 2.5 s). */
  connectTimeoutMs?: number;
  /** A socket idle for this long fails the request (default 20 s; downloads rely on it). */
  socketTimeoutMs?: number;
  /** Listing pages and HEAD must answer within this (default 8 s); footer range reads within 4x. */
  requestTimeoutMs?: number;
  /** Attempts per request including retries (default 2: a dead server is reported within seconds). */
  maxAttempts?: number;
}

export interface S3Location {
  bucket: string;
  /** Key prefix ending with '/', or '' for the whole bucket. */
  prefix: string;
}

/** `s3://bucket/prefix/` (also s3a:// and s3n://; a trailing glob segment like `*.parquet` is dropped). */
export function parseS3Location(location: string): S3Location {
  const m = /^s3[an]?:\/\/([^/]+)\/?(.*)$/i.exec(location.trim());
  if (!m) throw new StorageError('config', `Not an S3 location: ${location} (expected s3://bucket/prefix/)`, { location });
  let prefix = stripGlob(m[2]!);
  if (prefix && !prefix.endsWith('/')) prefix += '/';
  return { bucket: m[1]!, prefix };
}

export function parseS3Key(key: string): { bucket: string; key: string } {
  const m = /^s3[an]?:\/\/([^/]+)\/(.+)$/i.exec(key);
  if (!m) throw new StorageError('config', `Not an S3 object address: ${key} (expected s3://bucket/key)`, { key });
  return { bucket: m[1]!, key: m[2]! };
}

const ACCESS_ERRORS: Record<string, string> = {
  InvalidAccessKeyId: 'the access key id is unknown to the server',
  SignatureDoesNotMatch: 'the secret access key does not match the key id',
  AccessDenied: 'the key has no permission for this',
  Forbidden: 'the request was refused (wrong secret, unknown key or no permission)',
  InvalidToken: 'the session token is invalid',
  ExpiredToken: 'the session token has expired',
  TokenRefreshRequired: 'the session token must be refreshed',
};

// The SDK is loaded on first use (it takes ~0.4 s to import): hosts that never touch S3 start without it.
type S3Sdk = typeof import('@aws-sdk/client-s3');
let sdkPromise: Promise<S3Sdk> | null = null;
function loadSdk(): Promise<S3Sdk> {
  // The SDK warns on every process start that its 2027 releases need Node 22; the lockfile pins this one.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The SDK warns on every start that its 2027 releases will need Node 22: not the user's concern here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  sdkPromise ??= import('@aws-sdk/client-s3');
  return sdkPromise;
}

export class S3SnapshotStore extends BaseStore {
  readonly kind = 's3' as const;
  readonly description: string;
  readonly endpoint: string;
  private readonly credentialSource: string;
  private readonly clientConfig: S3ClientConfig;
  private clientPromise: Promise<S3Client> | null = null;

  constructor(private readonly config: S3StoreConfig = {}) {
    super();
    const region = config.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
    this.endpoint = config.endpoint?.replace(/\/+$/, '') ?? `https://s3.${region}.amazonaws.com`;
    this.description = `S3 at ${this.endpoint}`;
    this.credentialSource =
      config.credentialSource ??
      (config.credentials ? 'the configured access key' : config.profile ? `the AWS profile '${config.profile}' (~/.aws/credentials, ~/.aws/config)` : 'the default AWS credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, SSO, instance role)');
    this.clientConfig = {
      region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.forcePathStyle !== undefined ? { forcePathStyle: config.forcePathStyle } : {}),
      ...(config.credentials ? { credentials: config.credentials } : config.profile ? { profile: config.profile } : {}),
      followRegionRedirects: true,
      maxAttempts: config.maxAttempts ?? 2,
      requestHandler: { connectionTimeout: config.connectTimeoutMs ?? 2_500, socketTimeout: config.socketTimeoutMs ?? 20_000 },
    };
  }

  /** The SDK client, created on first use (exposed so tests can add middleware to measure requests). */
  client(): Promise<S3Client> {
    this.clientPromise ??= loadSdk().then((sdk) => new sdk.S3Client(this.clientConfig));
    return this.clientPromise;
  }

  close(): void {
    void this.clientPromise?.then((c) => c.destroy());
    this.clientPromise = null;
  }

  /** The access key id in use (explicit, or whatever the provider chain resolves); never the secret. */
  private async accessKeyId(): Promise<string | null> {
    if (this.config.credentials) return this.config.credentials.accessKeyId;
    try {
      const creds = await (await this.client()).config.credentials();
      return creds.accessKeyId;
    } catch {
      return null;
    }
  }

  /** The caller's signal combined with a deadline, so a server that accepts but never answers fails in seconds. */
  private deadline(signal: AbortSignal | undefined, factor = 1): { abortSignal: AbortSignal; ms: number; timer: AbortSignal } {
    const ms = (this.config.requestTimeoutMs ?? 8_000) * factor;
    const timer = AbortSignal.timeout(ms);
    return { abortSignal: signal ? AbortSignal.any([signal, timer]) : timer, ms, timer };
  }

  /** One S3 error as a StorageError a person can act on. */
  private async fail(e: unknown, op: string, bucket: string, key?: string, signal?: AbortSignal, deadline?: { ms: number; timer: AbortSignal }): Promise<StorageError> {
    if (e instanceof StorageError) return e;
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = err.$metadata?.httpStatusCode;
    const where = key ? `s3://${bucket}/${key}` : `s3://${bucket}`;
    if (signal?.aborted) return new StorageError('cancelled', `${op} ${where} was cancelled`, { endpoint: this.endpoint });
    if (deadline?.timer.aborted) return new StorageError('unreachable', `S3 at ${this.endpoint} is unreachable: no answer within ${deadline.ms / 1000} s (${op} ${where})`, { endpoint: this.endpoint, code: 'ETIMEDOUT' });
    if (err.name === 'AbortError') return new StorageError('cancelled', `${op} ${where} was cancelled`, { endpoint: this.endpoint });
    const net = networkCode(e);
    if (net && status === undefined) {
      const why: Record<string, string> = {
        ECONNREFUSED: 'connection refused — is the server running?',
        ENOTFOUND: 'host not found',
        EAI_AGAIN: 'host name lookup failed — is the network up?',
        ETIMEDOUT: 'no answer in time',
        EHOSTUNREACH: 'host unreachable',
        ENETUNREACH: 'network unreachable',
        ECONNRESET: 'the connection was dropped',
      };
      return new StorageError('unreachable', `S3 at ${this.endpoint} is unreachable: ${why[net] ?? net} (${net})`, { endpoint: this.endpoint, code: net });
    }
    if (err.name === 'CredentialsProviderError' || /Could not load credentials/i.test(err.message ?? '')) {
      return new StorageError('access-denied', `S3 at ${this.endpoint}: no credentials found in ${this.credentialSource}: set accessKeyIdRef and secretAccessKeyRef or a profile on the workspace connection`, { endpoint: this.endpoint });
    }
    const name = err.name ?? 'Error';
    if (ACCESS_ERRORS[name] || status === 403) {
      const keyId = await this.accessKeyId();
      const reason = ACCESS_ERRORS[name] ? name : 'Forbidden';
      return new StorageError(
        'access-denied',
        `S3 at ${this.endpoint}: access denied for key ${keyId ?? '(none)'}: check the credentials in ${this.credentialSource} (${reason}: ${ACCESS_ERRORS[reason]}; ${op} ${where})`,
        { endpoint: this.endpoint, accessKeyId: keyId, bucket, reason },
      );
    }
    if (name === 'NoSuchBucket') return new StorageError('no-such-bucket', `bucket '${bucket}' does not exist at ${this.endpoint}`, { endpoint: this.endpoint, bucket });
    if (status === 404 && op === 'listing' && name !== 'NoSuchKey') {
      return new StorageError('not-found', `S3 at ${this.endpoint}: listing ${where} answered 404 without an S3 error code — is this the right S3 endpoint?`, { endpoint: this.endpoint, bucket });
    }
    if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) return new StorageError('not-found', `${where} does not exist at ${this.endpoint}`, { endpoint: this.endpoint, bucket, key: key ?? null });
    if (name === 'PreconditionFailed' || status === 412) return new StorageError('changed', `${where} changed: its ETag is no longer the one expected`, { endpoint: this.endpoint, bucket, key: key ?? null });
    return new StorageError('io', `S3 at ${this.endpoint}: ${op} ${where} failed: ${name}${err.message && err.message !== name ? `: ${err.message}` : ''}`, { endpoint: this.endpoint, bucket, status: status ?? null });
  }

  async listDays(location: string, opts: ListOptions = {}): Promise<SnapshotDayListing[]> {
    const { bucket, prefix } = parseS3Location(location);
    const entries: Array<{ rel: string; file: Omit<SnapshotFile, 'name'> }> = [];
    let token: string | undefined;
    do {
      let page;
      const deadline = this.deadline(opts.signal);
      try {
        const [sdk, client] = await Promise.all([loadSdk(), this.client()]);
        page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }), { abortSignal: deadline.abortSignal });
      } catch (e) {
        throw await this.fail(e, 'listing', bucket, prefix || undefined, opts.signal, deadline);
      }
      for (const o of page.Contents ?? []) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        entries.push({
          rel: o.Key.slice(prefix.length),
          file: { key: `s3://${bucket}/${o.Key}`, size: o.Size ?? 0, etag: normalizeEtag(o.ETag), lastModified: (o.LastModified ?? new Date(0)).toISOString() },
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return groupDays(entries, opts.layout);
  }

  async head(file: FileRef, opts: { signal?: AbortSignal } = {}): Promise<ObjectInfo> {
    const { bucket, key } = parseS3Key(keyOf(file));
    const deadline = this.deadline(opts.signal);
    try {
      const [sdk, client] = await Promise.all([loadSdk(), this.client()]);
      const h = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: deadline.abortSignal });
      return { key: keyOf(file), size: h.ContentLength ?? 0, etag: normalizeEtag(h.ETag), lastModified: (h.LastModified ?? new Date(0)).toISOString() };
    } catch (e) {
      throw await this.fail(e, 'HEAD', bucket, key, opts.signal, deadline);
    }
  }

  async readRange(file: FileRef, start: number, end: number, opts: ReadOptions = {}): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    const { bucket, key } = parseS3Key(keyOf(file));
    const deadline = this.deadline(opts.signal, 4);
    try {
      const [sdk, client] = await Promise.all([loadSdk(), this.client()]);
      const res = await client.send(
        new sdk.GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}`, ...(opts.ifMatch ? { IfMatch: `"${normalizeEtag(opts.ifMatch)}"` } : {}) }),
        { abortSignal: deadline.abortSignal },
      );
      return await res.Body!.transformToByteArray();
    } catch (e) {
      throw await this.fail(e, 'reading', bucket, key, opts.signal, deadline);
    }
  }

  protected async openRead(address: string, start: number, ifMatch: string | null, signal?: AbortSignal): Promise<OpenedRead> {
    const { bucket, key } = parseS3Key(address);
    try {
      const [sdk, client] = await Promise.all([loadSdk(), this.client()]);
      const res = await client.send(
        new sdk.GetObjectCommand({ Bucket: bucket, Key: key, ...(start > 0 ? { Range: `bytes=${start}-` } : {}), ...(ifMatch ? { IfMatch: `"${normalizeEtag(ifMatch)}"` } : {}) }),
        signal ? { abortSignal: signal } : {},
      );
      const range = /^bytes (\d+)-\d+\/(\d+)$/.exec(res.ContentRange ?? '');
      const from = range ? Number(range[1]) : 0;
      const size = range ? Number(range[2]) : (res.ContentLength ?? 0);
      const body = res.Body as unknown as OpenedRead['body'];
      return { body, from, info: { key: address, size, etag: normalizeEtag(res.ETag), lastModified: (res.LastModified ?? new Date(0)).toISOString() } };
    } catch (e) {
      throw await this.fail(e, 'downloading', bucket, key, signal);
    }
  }
}

/** A workspace `s3` connection as store configuration; secret references are resolved here. */
export function s3ConfigFromConnection(
  conn: { endpoint?: string | undefined; region?: string | undefined; profile?: string | undefined; forcePathStyle?: boolean | undefined; accessKeyIdRef?: string | undefined; secretAccessKeyRef?: string | undefined },
  where: { name: string; file: string },
  fallbackEndpoint?: string,
): S3StoreConfig {
  const label = `connection '${where.name}' in ${where.file}`;
  const endpoint = conn.endpoint ?? fallbackEndpoint;
  const config: S3StoreConfig = {
    ...(endpoint ? { endpoint } : {}),
    ...(conn.region ? { region: conn.region } : {}),
    ...(conn.forcePathStyle !== undefined ? { forcePathStyle: conn.forcePathStyle } : {}),
  };
  if (conn.accessKeyIdRef || conn.secretAccessKeyRef) {
    if (!conn.accessKeyIdRef || !conn.secretAccessKeyRef) {
      throw new StorageError('config', `The ${label} names ${conn.accessKeyIdRef ? 'accessKeyIdRef' : 'secretAccessKeyRef'} but not ${conn.accessKeyIdRef ? 'secretAccessKeyRef' : 'accessKeyIdRef'}: give both, or neither to use a profile or the default AWS credentials`);
    }
    config.credentials = {
      accessKeyId: resolveSecret(conn.accessKeyIdRef, `accessKeyIdRef of the ${label}`, dirname(where.file)),
      secretAccessKey: resolveSecret(conn.secretAccessKeyRef, `secretAccessKeyRef of the ${label}`, dirname(where.file)),
    };
    config.credentialSource = `accessKeyIdRef ${conn.accessKeyIdRef} and secretAccessKeyRef ${conn.secretAccessKeyRef} of the ${label}`;
  } else if (conn.profile) {
    config.profile = conn.profile;
    config.credentialSource = `the AWS profile '${conn.profile}' of the ${label} (~/.aws/credentials, ~/.aws/config)`;
  }
  return config;
}

// ---------------------------------------------------------------------------------------------

/** Maps with at most `limit` calls in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
