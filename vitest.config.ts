import { defineConfig } from 'vitest/config';

/**
 * Projects, so the loop you run on every save stays fast: `npm run test:unit` (pure code and
 * the runtime over the in-memory transport, seconds), `types` (the generated types, by tsc), `test:generator` (generation, goldens, tsc
 * over the output, fuzzing), `test:cli` (the built binary, `init` with a real npm install) and
 * `test:brokers` (NATS, MQTT, RabbitMQ, Kafka, webhooks and the foreign peers). `npm test` runs all.
 */
const exclude = ['test/.out/**', 'node_modules/**'];

export default defineConfig({
  test: {
    // What a unit test may take; the projects that run tsc, npm or brokers say what they need.
    testTimeout: 10_000,
    hookTimeout: 10_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/runtime/**/*.test.ts'], exclude } },
      // The generated types, checked by tsc: what must compile and what must not.
      { extends: true, test: { name: 'types', include: [], typecheck: { enabled: true, only: true, include: ['test/types/**/*.test-d.ts'], tsconfig: 'tsconfig.json' } } },
      {
        extends: true,
        test: {
          name: 'generator',
          include: ['test/*.test.ts', 'test/fuzz/**/*.test.ts'],
          exclude: [...exclude, 'test/cli*.test.ts', 'test/examples.test.ts'],
          // tsc over every generated output, and fuzzed documents compiled in batches.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      { extends: true, test: { name: 'cli', include: ['test/cli*.test.ts'], exclude, testTimeout: 180_000, hookTimeout: 180_000 } },
      {
        extends: true,
        test: {
          name: 'brokers',
          include: ['test/brokers/**/*.test.ts', 'test/interop/**/*.test.ts', 'test/examples.test.ts'],
          exclude,
          // A librdkafka mock cluster for the Kafka suites, unless KAFKA_BROKERS names a real cluster.
          globalSetup: ['test/support/kafka-mock-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
