// The capture file format: one Parquet row per Kafka record, as a tail recorded it.
//   topic VARCHAR, partition INTEGER, offset BIGINT, timestamp TIMESTAMPTZ (UTC),
//   key BLOB, value BLOB, headers STRUCT(key VARCHAR, value BLOB)[]
// Bytes are kept exactly as they were on the wire, so a replay decodes and validates like a live tail.
export const CAPTURE_COLUMNS = `topic VARCHAR, "partition" INTEGER, "offset" BIGINT, "timestamp" TIMESTAMPTZ, "key" BLOB, "value" BLOB, headers STRUCT("key" VARCHAR, "value" BLOB)[]`;

/** The file a capture connection holds for a topic. */
export const captureFileName = (topic: string) => `${topic}.parquet`;
