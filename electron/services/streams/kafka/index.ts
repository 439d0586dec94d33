// A lean, read-only Kafka client (no consumer groups) for tailing topics. See client.ts.
export { KafkaClient, KafkaError } from './client';
export type {
  FetchOptions,
  FetchedPartition,
  KafkaClientOptions,
  KafkaErrorCode,
  KafkaRecord,
  PartitionInfo,
  RecordHeader,
  TopicInfo,
} from './client';
