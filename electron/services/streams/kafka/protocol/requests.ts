// The six Kafka APIs this client speaks, each as an encoder and a decoder per version range.
// Layouts follow apache/kafka clients/src/main/resources/common/message/*.json.
//
// Versions: the client asks the broker (ApiVersions) and uses the highest version both sides
// support within SUPPORTED below. Kafka 4.0 (KIP-896) removed Metadata v0-3, Fetch v0-3 and
// ListOffsets v0; the lower bounds here are above those, so this works with Kafka 2.1 up to 4.x:
//   ApiVersions 0-3     (v3+ flexible; the response header is never flexible, KIP-511)
//   Metadata 4-12       (v9+ flexible; v10+ topic ids; v4+ can refuse auto-creation)
//   ListOffsets 4-10    (v6+ flexible; v4+ leader epoch; v10 timeout for tiered storage)
//   Fetch 4-17          (v12+ flexible; v13+ topic ids; v15+ replica id moved to a tag)
//   SaslHandshake 1     (v1: tokens go through SaslAuthenticate, KIP-152)
//   SaslAuthenticate 0-2 (v2 flexible; v1+ session lifetime, KIP-368)
import type { Reader } from './decoder';
import type { Writer } from './encoder';

export const ApiKey = {
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  SaslHandshake: 17,
  ApiVersions: 18,
  SaslAuthenticate: 36,
} as const;
export type ApiKeyValue = (typeof ApiKey)[keyof typeof ApiKey];

export const API_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ApiKey).map(([k, v]) => [v, k]));

/** Versions this client implements, per API: [min, max]. */
export const SUPPORTED: Record<ApiKeyValue, readonly [number, number]> = {
  [ApiKey.Fetch]: [4, 17],
  [ApiKey.ListOffsets]: [4, 10],
  [ApiKey.Metadata]: [4, 12],
  [ApiKey.SaslHandshake]: [1, 1],
  [ApiKey.ApiVersions]: [0, 3],
  [ApiKey.SaslAuthenticate]: [0, 2],
};

const FLEXIBLE_FROM: Record<ApiKeyValue, number> = {
  [ApiKey.Fetch]: 12,
  [ApiKey.ListOffsets]: 6,
  [ApiKey.Metadata]: 9,
  [ApiKey.SaslHandshake]: Infinity,
  [ApiKey.ApiVersions]: 3,
  [ApiKey.SaslAuthenticate]: 2,
};

export function isFlexible(apiKey: ApiKeyValue, version: number): boolean {
  return version >= FLEXIBLE_FROM[apiKey];
}

/** Response header v1 (with tagged fields) for flexible versions, except ApiVersions (always v0). */
export function flexibleResponseHeader(apiKey: ApiKeyValue, version: number): boolean {
  return apiKey !== ApiKey.ApiVersions && isFlexible(apiKey, version);
}

export const ISOLATION = { read_uncommitted: 0, read_committed: 1 } as const;
export type IsolationLevel = keyof typeof ISOLATION;

// ------------------------------------------------------------------ ApiVersions (18)

export interface ApiVersionsResponse {
  errorCode: number;
  apis: Map<number, [number, number]>;
}

export function encodeApiVersions(w: Writer, version: number, softwareName: string, softwareVersion: string): void {
  if (version >= 3) {
    w.string(softwareName);
    w.string(softwareVersion);
    w.tags();
  }
}

export function decodeApiVersions(r: Reader, version: number): ApiVersionsResponse {
  const errorCode = r.int16();
  // A broker that does not know our version answers with a v0 body (KIP-511).
  if (errorCode === 35) r.flexible = false;
  const apis = new Map<number, [number, number]>();
  const n = r.arrayLength();
  for (let i = 0; i < n; i++) {
    const key = r.int16();
    const min = r.int16();
    const max = r.int16();
    r.tags();
    apis.set(key, [min, max]);
  }
  if (errorCode === 0 && version >= 1) r.int32(); // throttle
  r.tags();
  return { errorCode, apis };
}

// ------------------------------------------------------------------ Metadata (3)

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  /** 16 bytes (v10+), all zero when unknown. */
  topicId: Buffer | null;
  isInternal: boolean;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

/** `topics` null = all topics. Never asks the broker to auto-create a topic. */
export function encodeMetadata(w: Writer, version: number, topics: string[] | null): void {
  w.array(topics, (w, name) => {
    if (version >= 10) w.uuid(null);
    w.string(name);
    w.tags();
  });
  w.bool(false); // allow_auto_topic_creation (v4+)
  if (version >= 8 && version <= 10) w.bool(false); // include_cluster_authorized_operations
  if (version >= 8) w.bool(false); // include_topic_authorized_operations
  w.tags();
}

export function decodeMetadata(r: Reader, version: number): MetadataResponse {
  r.int32(); // throttle
  const brokers = r.array((r) => {
    const b: MetadataBroker = { nodeId: r.int32(), host: r.string(), port: r.int32(), rack: r.nullableString() };
    r.tags();
    return b;
  });
  const clusterId = r.nullableString();
  const controllerId = r.int32();
  const topics = r.array((r) => {
    const errorCode = r.int16();
    const name = r.string();
    const topicId = version >= 10 ? Buffer.from(r.uuid()) : null;
    const isInternal = r.bool();
    const partitions = r.array((r) => {
      const p: MetadataPartition = {
        errorCode: r.int16(),
        partition: r.int32(),
        leader: r.int32(),
        leaderEpoch: version >= 7 ? r.int32() : -1,
        replicas: r.int32Array(),
        isr: r.int32Array(),
      };
      if (version >= 5) r.int32Array(); // offline replicas
      r.tags();
      return p;
    });
    if (version >= 8) r.int32(); // topic authorized operations
    r.tags();
    return { errorCode, name, topicId, isInternal, partitions };
  });
  if (version >= 8 && version <= 10) r.int32(); // cluster authorized operations
  r.tags();
  return { brokers, clusterId, controllerId, topics };
}

// ------------------------------------------------------------------ ListOffsets (2)

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface ListOffsetsRequestPartition {
  partition: number;
  /** -1 latest, -2 earliest, else epoch ms. */
  timestamp: number;
  leaderEpoch: number;
}

export interface ListOffsetsPartitionResult {
  partition: number;
  errorCode: number;
  timestamp: number;
  /** -1 when no record has a timestamp >= the asked one. */
  offset: number;
}

export function encodeListOffsets(
  w: Writer,
  version: number,
  isolation: IsolationLevel,
  topic: string,
  partitions: ListOffsetsRequestPartition[],
  timeoutMs: number,
): void {
  w.int32(-1); // replica id: a consumer
  w.int8(ISOLATION[isolation]);
  w.arrayLength(1);
  w.string(topic);
  w.array(partitions, (w, p) => {
    w.int32(p.partition);
    w.int32(p.leaderEpoch); // current leader epoch (v4+)
    w.int64(p.timestamp);
    w.tags();
  });
  w.tags();
  if (version >= 10) w.int32(timeoutMs);
  w.tags();
}

export function decodeListOffsets(r: Reader): ListOffsetsPartitionResult[] {
  r.int32(); // throttle
  const out: ListOffsetsPartitionResult[] = [];
  const topics = r.arrayLength();
  for (let t = 0; t < topics; t++) {
    r.string();
    const n = r.arrayLength();
    for (let i = 0; i < n; i++) {
      const partition = r.int32();
      const errorCode = r.int16();
      const timestamp = r.int64();
      const offset = r.int64();
      r.int32(); // leader epoch (v4+)
      r.tags();
      out.push({ partition, errorCode, timestamp, offset });
    }
    r.tags();
  }
  r.tags();
  return out;
}

// ------------------------------------------------------------------ Fetch (1)

export interface FetchRequestPartition {
  partition: number;
  offset: number;
  maxBytes: number;
  leaderEpoch: number;
}

export interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolation: IsolationLevel;
  topic: string;
  /** Needed from v13 on. */
  topicId: Buffer | null;
  partitions: FetchRequestPartition[];
}

export function encodeFetch(w: Writer, version: number, req: FetchRequest): void {
  if (version <= 14) w.int32(-1); // replica id: a consumer (v15+: a tagged field we leave at its default)
  w.int32(req.maxWaitMs);
  w.int32(req.minBytes);
  w.int32(req.maxBytes);
  w.int8(ISOLATION[req.isolation]);
  if (version >= 7) {
    w.int32(0); // session id: no fetch session (KIP-227), every request is a full fetch
    w.int32(-1); // session epoch
  }
  w.arrayLength(1);
  if (version >= 13) w.uuid(req.topicId);
  else w.string(req.topic);
  w.array(req.partitions, (w, p) => {
    w.int32(p.partition);
    if (version >= 9) w.int32(p.leaderEpoch);
    w.int64(p.offset);
    if (version >= 12) w.int32(-1); // last fetched epoch
    if (version >= 5) w.int64(-1); // log start offset (followers only)
    w.int32(p.maxBytes);
    w.tags();
  });
  w.tags();
  if (version >= 7) w.arrayLength(0); // forgotten topics
  if (version >= 11) w.string(''); // rack id
  w.tags();
}

export interface FetchResponsePartition {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  aborted: Array<{ producerId: number; firstOffset: number }> | null;
  /** [start, end) of the record batches in the response frame; start === end when none. */
  recordsStart: number;
  recordsEnd: number;
  /** From the CurrentLeader tag (v12+) on NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH; -1 unknown. */
  currentLeader: number;
}

export interface FetchResponse {
  errorCode: number;
  topics: Array<{ topic: string | null; topicId: Buffer | null; partitions: FetchResponsePartition[] }>;
}

export function decodeFetch(r: Reader, version: number): FetchResponse {
  r.int32(); // throttle
  let errorCode = 0;
  if (version >= 7) {
    errorCode = r.int16();
    r.int32(); // session id
  }
  const topics: FetchResponse['topics'] = [];
  const nt = r.arrayLength();
  for (let t = 0; t < nt; t++) {
    const topic = version >= 13 ? null : r.string();
    const topicId = version >= 13 ? r.uuid() : null;
    const partitions: FetchResponsePartition[] = [];
    const np = r.arrayLength();
    for (let i = 0; i < np; i++) {
      const partition = r.int32();
      const pErr = r.int16();
      const highWatermark = r.int64();
      const lastStableOffset = r.int64();
      const logStartOffset = version >= 5 ? r.int64() : -1;
      let aborted: FetchResponsePartition['aborted'] = null;
      const na = r.arrayLength();
      if (na >= 0) {
        aborted = [];
        for (let a = 0; a < na; a++) {
          aborted.push({ producerId: r.int64(), firstOffset: r.int64() });
          r.tags();
        }
      }
      if (version >= 11) r.int32(); // preferred read replica (only with a rack-aware selector)
      const range = r.bytesRange();
      let currentLeader = -1;
      r.tags((tag, _size, r) => {
        if (tag === 1) {
          currentLeader = r.int32();
          r.int32(); // leader epoch
        }
      });
      partitions.push({
        partition,
        errorCode: pErr,
        highWatermark,
        lastStableOffset,
        logStartOffset,
        aborted,
        recordsStart: range ? range[0] : 0,
        recordsEnd: range ? range[1] : 0,
        currentLeader,
      });
    }
    r.tags();
    topics.push({ topic, topicId, partitions });
  }
  r.tags();
  return { errorCode, topics };
}

// ------------------------------------------------------------------ SaslHandshake (17), SaslAuthenticate (36)

export function encodeSaslHandshake(w: Writer, mechanism: string): void {
  w.string(mechanism);
}

export function decodeSaslHandshake(r: Reader): { errorCode: number; mechanisms: string[] } {
  return { errorCode: r.int16(), mechanisms: r.array((r) => r.string()) };
}

export function encodeSaslAuthenticate(w: Writer, authBytes: Buffer): void {
  w.bytes(authBytes);
  w.tags();
}

export interface SaslAuthenticateResponse {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  sessionLifetimeMs: number;
}

export function decodeSaslAuthenticate(r: Reader, version: number): SaslAuthenticateResponse {
  const errorCode = r.int16();
  const errorMessage = r.nullableString();
  const authBytes = Buffer.from(r.bytes() ?? Buffer.alloc(0));
  const sessionLifetimeMs = version >= 1 ? r.int64() : 0;
  r.tags();
  return { errorCode, errorMessage, authBytes, sessionLifetimeMs };
}
