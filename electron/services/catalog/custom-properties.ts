// What ODPS and ODCS have no field for lives in their `customProperties`, under these names
// (documented in the README). One place, so lint, the model and the docs agree.
export const CUSTOM = {
  /** ODPS product: source | aggregate | consumer (used when the v1.1 `type` field is absent). */
  alignment: 'alignment',
  /** ODPS product: bronze | silver | gold. */
  qualityTier: 'qualityTier',
  /** ODCS contract: fact | state | aggregate (how the stream relates to the daily snapshots). */
  streamRelation: 'streamRelation',
  /** ODCS contract: the field that identifies an event (fact) or an entity (state). */
  keyField: 'keyField',
  /** ODCS contract: the field holding the event time that assigns a record to a day. */
  eventTimeField: 'eventTimeField',
  /** ODCS contract (aggregate): the product whose events are aggregated. */
  aggregateOf: 'aggregateOf',
  /** ODCS contract (aggregate): the SQL that computes one day's snapshot from those events. */
  aggregateSql: 'aggregateSql',
  /** ODCS kafka server: the topic, when the schema's physicalName is not it. */
  topic: 'topic',
  /** ODCS s3/local server: how daily snapshots are laid out under the location. */
  snapshotLayout: 'snapshotLayout',
} as const;

export const DEFAULT_SNAPSHOT_LAYOUT = 'date=YYYY-MM-DD/*.parquet';

type Props = ReadonlyArray<{ property: string; value?: unknown }> | undefined;

/** The value of a custom property, as a string; null when absent. */
export function customValue(props: Props, name: string): string | null {
  const hit = props?.find((p) => p.property === name);
  if (hit === undefined || hit.value === undefined || hit.value === null) return null;
  return typeof hit.value === 'string' ? hit.value : JSON.stringify(hit.value);
}

/** The index of a custom property in its list, for pointing lint findings at its line. */
export function customIndex(props: Props, name: string): number {
  return props?.findIndex((p) => p.property === name) ?? -1;
}
