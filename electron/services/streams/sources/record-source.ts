// Where a tail reads records from: a live Kafka topic or a capture file. Both give raw records
// (bytes as stored) by partition and offset, so decoding, validation and filtering are shared.
import type { RecordBatch } from '../kafka/records';
import type { FrameRoom } from '../kafka/frame-pool';

export interface SourceRecord {
  offset: number;
  /** Epoch ms. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

export interface PartitionBatch {
  partition: number;
  records: SourceRecord[];
  /** Read with `batches`, a Kafka source may give its record batches undecoded here instead (then `records` is empty). */
  batches?: RecordBatch[];
  /** The offset after the last message of the partition when this batch was read. */
  high: number;
  /**
   * Where to read next when every record of this batch is taken: past its last record and past
   * what follows that is not a message (transaction markers, aborted records). Absent: after the
   * last record.
   */
  next?: number;
  /** The earliest offset still available. */
  low: number;
}

export interface Watermarks {
  low: number;
  high: number;
}

export interface ReadOptions {
  maxWaitMs: number;
  signal: AbortSignal;
  /** Record batches are welcome undecoded (PartitionBatch.batches): the reader copies their bytes whole. */
  batches?: boolean;
}

export interface RecordSource {
  /** For people: kafka://host:port/topic or capture file path. */
  readonly address: string;
  readonly topic: string;
  /** A live broker keeps producing; a capture ends. */
  readonly live: boolean;
  partitions(): Promise<number[]>;
  watermarks(partitions: number[]): Promise<Map<number, Watermarks>>;
  /** First offset at or after `at` (epoch ms) per partition; the high watermark when none. */
  offsetsForTime(partitions: number[], at: number): Promise<Map<number, number>>;
  /**
   * Reads from the given positions (partition → next offset). Returns whatever is available now,
   * waiting up to `maxWaitMs` when nothing is. Throws SourceError with `retriable` for faults the
   * caller may retry from the same positions (broker restart, leader change).
   */
  read(positions: Map<number, number>, opts: ReadOptions): Promise<PartitionBatch[]>;
  /**
   * The caller has copied what it keeps of this read and holds no view of its records or batches
   * (or of what it carved from `room`) any more: the source may reuse their memory. Optional for
   * sources and for callers.
   */
  recycle?(read: PartitionBatch[]): void;
  /** Free memory after what a read with `batches` gave, for the caller's own use until it recycles the read. */
  readonly room?: FrameRoom;
  close(): Promise<void>;
}
