/**
 * A Kafka cluster of a test file's own: the one KAFKA_BROKERS names (topics made and removed
 * with kafkajs's admin client), else a private librdkafka mock cluster (topics made through the
 * mock, since it has no CreateTopics). Under CI=true a mock that is not built fails the file;
 * otherwise the suites skip with the reason, as test/brokers/support.ts does for the other brokers.
 */
import { Kafka, logLevel } from 'kafkajs';
import { kafkaMockMissing, startKafkaMock } from './kafka-mock.js';

export interface KafkaTestCluster {
  readonly brokers: string[];
  createTopics(names: readonly string[], partitions?: number): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaClusterChoice {
  readonly available: boolean;
  /** The librdkafka mock: the cases that need what it lacks skip with MOCK_LIMITS' reason. */
  readonly mock: boolean;
  readonly title: string;
  open(): Promise<KafkaTestCluster>;
}

/** What the mock does not implement, as the skip reasons say it (README, "Kafka"). */
export const MOCK_LIMITS = {
  admin: 'the librdkafka mock cluster has no admin topic/group APIs (CreateTopics, DeleteTopics, DeleteGroups, DescribeGroups)',
  transactions: 'the librdkafka mock cluster has no transaction isolation (read_committed sees aborted records)',
} as const;

export function kafkaCluster(): KafkaClusterChoice {
  const list = (process.env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (list.length > 0) return { available: true, mock: false, title: 'Kafka', open: async () => realCluster(list) };
  const missing = kafkaMockMissing();
  if (missing !== undefined && process.env['CI'] === 'true') throw new Error(`CI=true and ${missing}`);
  if (missing !== undefined) console.warn(`skipping Kafka tests: ${missing}`);
  return {
    available: missing === undefined,
    mock: true,
    title: missing === undefined ? 'Kafka (librdkafka mock cluster)' : `Kafka (skipped: ${missing}; or set KAFKA_BROKERS=host:port)`,
    open: async () => {
      const mock = await startKafkaMock();
      return { brokers: mock.brokers, createTopics: (names, partitions) => mock.createTopics(names, partitions), close: () => mock.stop() };
    },
  };
}

async function realCluster(brokers: string[]): Promise<KafkaTestCluster> {
  const admin = new Kafka({ brokers, clientId: 'kafka-test', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const created: string[] = [];
  return {
    brokers,
    async createTopics(names, numPartitions = 1) {
      await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions })) });
      created.push(...names);
    },
    async close() {
      if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
