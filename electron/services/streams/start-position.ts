// Turns a start position (latest, earliest, offsets, a time, the last N) into an offset per partition.
import type { StartPosition } from '../../../shared/model/stream';
import type { RecordSource, Watermarks } from './sources/record-source';

export async function resolveStart(source: RecordSource, partitions: number[], from: StartPosition): Promise<{ positions: Map<number, number>; marks: Map<number, Watermarks> }> {
  const marks = await source.watermarks(partitions);
  const clamp = (p: number, o: number) => Math.min(Math.max(o, marks.get(p)!.low), marks.get(p)!.high);
  let positions: Map<number, number>;
  switch (from.kind) {
    case 'latest':
      positions = new Map(partitions.map((p) => [p, marks.get(p)!.high]));
      break;
    case 'earliest':
      positions = new Map(partitions.map((p) => [p, marks.get(p)!.low]));
      break;
    case 'offset':
      positions = new Map(partitions.map((p) => [p, clamp(p, from.offset)]));
      break;
    case 'offsets':
      positions = new Map(partitions.map((p) => [p, from.offsets[String(p)] === undefined ? marks.get(p)!.high : clamp(p, from.offsets[String(p)]!)]));
      break;
    case 'last':
      positions = new Map(partitions.map((p) => [p, clamp(p, marks.get(p)!.high - from.n)]));
      break;
    case 'timestamp':
      positions = await source.offsetsForTime(partitions, from.at);
      break;
  }
  return { positions, marks };
}
