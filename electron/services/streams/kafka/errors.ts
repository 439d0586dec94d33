// KafkaError: one error type for everything the client throws, with a stable `code` for callers,
// `retriable` for "try again from the same positions", and a message that says what to do.

export type KafkaErrorCode =
  | 'UNREACHABLE'
  | 'AUTH_FAILED'
  | 'TLS'
  | 'UNKNOWN_TOPIC'
  | 'NOT_AUTHORIZED'
  | 'OFFSET_OUT_OF_RANGE'
  | 'NOT_LEADER'
  | 'TIMEOUT'
  | 'PROTOCOL'
  | 'CLOSED';

const RETRIABLE_BY_DEFAULT: ReadonlySet<KafkaErrorCode> = new Set(['UNREACHABLE', 'NOT_LEADER', 'TIMEOUT']);

export interface KafkaErrorDetails {
  /** host:port of the broker involved, when one is. */
  broker?: string;
  /** Overrides the default (UNREACHABLE, NOT_LEADER and TIMEOUT are retriable). */
  retriable?: boolean;
  /** The Kafka protocol error code behind it, when the broker sent one. */
  kafkaCode?: number;
  topic?: string;
  partition?: number;
  cause?: unknown;
}

export class KafkaError extends Error {
  override readonly name = 'KafkaError';
  readonly code: KafkaErrorCode;
  /** True when the same call may succeed later (broker restart, leader move, timeout): keep positions and retry. */
  readonly retriable: boolean;
  readonly broker?: string;
  readonly kafkaCode?: number;
  readonly topic?: string;
  readonly partition?: number;

  constructor(code: KafkaErrorCode, message: string, details: KafkaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.retriable = details.retriable ?? RETRIABLE_BY_DEFAULT.has(code);
    if (details.broker !== undefined) this.broker = details.broker;
    if (details.kafkaCode !== undefined) this.kafkaCode = details.kafkaCode;
    if (details.topic !== undefined) this.topic = details.topic;
    if (details.partition !== undefined) this.partition = details.partition;
  }
}

/** Kafka protocol error codes this client looks at (org.apache.kafka.common.protocol.Errors). */
export const ErrorCodes = {
  UNKNOWN_SERVER_ERROR: -1,
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  BROKER_NOT_AVAILABLE: 8,
  REPLICA_NOT_AVAILABLE: 9,
  NETWORK_EXCEPTION: 13,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  CLUSTER_AUTHORIZATION_FAILED: 31,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  KAFKA_STORAGE_ERROR: 56,
  SASL_AUTHENTICATION_FAILED: 58,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  UNSUPPORTED_COMPRESSION_TYPE: 76,
  OFFSET_NOT_AVAILABLE: 78,
  UNKNOWN_TOPIC_ID: 100,
  INCONSISTENT_TOPIC_ID: 103,
  OFFSET_MOVED_TO_TIERED_STORAGE: 109,
} as const;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(ErrorCodes).map(([k, v]) => [v, k]));

/** "NOT_LEADER_OR_FOLLOWER (6)", or "Kafka error 42" for codes without a name here. */
export function kafkaErrorName(code: number): string {
  const name = NAMES[code];
  return name ? `${name} (${code})` : `Kafka error ${code}`;
}

/** Partition-level codes after which a metadata refresh (new leader, new epoch) fixes things. */
const LEADERSHIP: ReadonlySet<number> = new Set([
  ErrorCodes.LEADER_NOT_AVAILABLE,
  ErrorCodes.NOT_LEADER_OR_FOLLOWER,
  ErrorCodes.REPLICA_NOT_AVAILABLE,
  ErrorCodes.KAFKA_STORAGE_ERROR,
  ErrorCodes.FENCED_LEADER_EPOCH,
  ErrorCodes.UNKNOWN_LEADER_EPOCH,
  ErrorCodes.OFFSET_NOT_AVAILABLE,
  ErrorCodes.INCONSISTENT_TOPIC_ID,
  ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCodes.UNKNOWN_TOPIC_ID,
]);

export function needsMetadataRefresh(code: number): boolean {
  return LEADERSHIP.has(code) || code === ErrorCodes.NETWORK_EXCEPTION || code === ErrorCodes.BROKER_NOT_AVAILABLE;
}

/** Maps a Kafka protocol error code on a topic/partition to a KafkaError. */
export function errorFromCode(
  kafkaCode: number,
  ctx: { broker: string; topic?: string; partition?: number; what?: string },
): KafkaError {
  const where = ctx.topic === undefined ? '' : ctx.partition === undefined ? ` for topic '${ctx.topic}'` : ` for ${ctx.topic}[${ctx.partition}]`;
  const what = ctx.what ?? 'request';
  const base = `Kafka broker ${ctx.broker} refused the ${what}${where}: ${kafkaErrorName(kafkaCode)}`;
  const d: KafkaErrorDetails = { broker: ctx.broker, kafkaCode };
  if (ctx.topic !== undefined) d.topic = ctx.topic;
  if (ctx.partition !== undefined) d.partition = ctx.partition;
  switch (kafkaCode) {
    case ErrorCodes.OFFSET_OUT_OF_RANGE:
      return new KafkaError(
        'OFFSET_OUT_OF_RANGE',
        `${base}: the offset is before the earliest or after the latest offset still kept (retention or compaction removed it); restart from 'earliest' or 'latest'`,
        d,
      );
    case ErrorCodes.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCodes.UNKNOWN_TOPIC_ID:
      // During a leader move a broker may briefly not know the partition: worth a retry, and the
      // next metadata refresh says for sure whether the topic exists.
      return new KafkaError('UNKNOWN_TOPIC', `${base}: the topic or partition does not exist (or not on this broker)`, {
        ...d,
        retriable: ctx.partition !== undefined,
      });
    case ErrorCodes.INVALID_TOPIC_EXCEPTION:
      return new KafkaError('UNKNOWN_TOPIC', `${base}: not a valid topic name`, d);
    case ErrorCodes.TOPIC_AUTHORIZATION_FAILED:
    case ErrorCodes.CLUSTER_AUTHORIZATION_FAILED:
    case ErrorCodes.GROUP_AUTHORIZATION_FAILED:
      return new KafkaError('NOT_AUTHORIZED', `${base}: the user lacks the ACL for this (ask for READ and DESCRIBE on the topic)`, d);
    case ErrorCodes.REQUEST_TIMED_OUT:
      return new KafkaError('TIMEOUT', base, d);
    case ErrorCodes.NETWORK_EXCEPTION:
    case ErrorCodes.BROKER_NOT_AVAILABLE:
      return new KafkaError('UNREACHABLE', base, d);
    case ErrorCodes.SASL_AUTHENTICATION_FAILED:
    case ErrorCodes.UNSUPPORTED_SASL_MECHANISM:
    case ErrorCodes.ILLEGAL_SASL_STATE:
      return new KafkaError('AUTH_FAILED', base, d);
    case ErrorCodes.OFFSET_MOVED_TO_TIERED_STORAGE:
      return new KafkaError('PROTOCOL', `${base}: the data lives in tiered storage and needs a newer Fetch version`, d);
    default:
      if (LEADERSHIP.has(kafkaCode)) {
        return new KafkaError('NOT_LEADER', `${base}: leadership is moving; metadata is refreshed on the next call`, d);
      }
      return new KafkaError('PROTOCOL', base, d);
  }
}
