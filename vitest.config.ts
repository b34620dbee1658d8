import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/.out/**', 'node_modules/**'],
    // A librdkafka mock cluster for the Kafka suites, unless KAFKA_BROKERS names a real cluster.
    globalSetup: ['test/support/kafka-mock-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
