/**
 * Vitest global setup: one librdkafka mock cluster for the test files that share a Kafka cluster
 * (every-message, faults, examples), unless KAFKA_BROKERS names a real one. Test files read the
 * result with inject('kafkaMock') through kafkaBrokers() in test/brokers/support.ts. Under CI=true
 * a mock that cannot start fails the run; otherwise the Kafka suites skip with the reason.
 */
import type { TestProject } from 'vitest/node';
import { startKafkaMock } from './kafka-mock.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The mock's bootstrap servers, or why there is none. */
    kafkaMock: { readonly brokers: string[] } | { readonly reason: string };
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if ((process.env['KAFKA_BROKERS'] ?? '').trim() !== '') return undefined;
  try {
    const mock = await startKafkaMock();
    project.provide('kafkaMock', { brokers: mock.brokers });
    return () => mock.stop();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env['CI'] === 'true') throw new Error(`CI=true and ${reason}`);
    project.provide('kafkaMock', { reason });
    return undefined;
  }
}
