// What a processed tail hands its processor: runs of one partition's records, in offset order.
// A run is either records a source decoded, or a stretch of a Kafka record batch left undecoded:
// its bytes go into a chunk whole and its records are found where the chunk is processed (see
// parallel/unpack.ts), so the thread that reads makes no object per record.
import { recordsOf, type RecordBatch } from './kafka/records';
import type { PartitionBatch, SourceRecord } from './sources/record-source';

export interface RecordsRun {
  partition: number;
  records: SourceRecord[];
}

/** The records of a batch from offset `first` on, `count` of them: a batch whose offsets have no gaps. */
export interface BatchRun {
  partition: number;
  batch: RecordBatch;
  first: number;
  count: number;
}

export type RecordRun = RecordsRun | BatchRun;

export function runLength(run: RecordRun): number {
  return 'records' in run ? run.records.length : run.count;
}

/** The offset after the last record of a (non-empty) run. */
export function runEnd(run: RecordRun): number {
  return 'records' in run ? run.records[run.records.length - 1]!.offset + 1 : run.first + run.count;
}

/** The first n records of a run (0 < n < its length), and the rest. */
export function splitRun(run: RecordRun, n: number): [RecordRun, RecordRun] {
  if ('records' in run) return [{ partition: run.partition, records: run.records.slice(0, n) }, { partition: run.partition, records: run.records.slice(n) }];
  return [{ ...run, count: n }, { ...run, first: run.first + n, count: run.count - n }];
}

/**
 * The non-empty runs of what one read gave for a partition. A batch stays undecoded when its
 * header alone tells the offset of every record (no gaps, so not compacted: the n-th record has
 * offset baseOffset + n) and it ends before `stopAt`; any other is decoded here, and the caller
 * applies its stop rules record by record.
 */
export function runsOf(b: PartitionBatch, stopAt: number): RecordRun[] {
  const partition = b.partition;
  if (!b.batches) return b.records.length ? [{ partition, records: b.records }] : [];
  const runs: RecordRun[] = [];
  for (const batch of b.batches) {
    const dense = batch.count === batch.lastOffset - batch.baseOffset + 1;
    if (dense && batch.lastOffset < stopAt) runs.push({ partition, batch, first: batch.first, count: batch.lastOffset + 1 - batch.first });
    else {
      const records = recordsOf(batch);
      if (records.length) runs.push({ partition, records });
    }
  }
  return runs;
}
