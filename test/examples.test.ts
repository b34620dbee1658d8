/**
 * The README's examples run as a user runs them: generated with the repo's config, type-checked
 * strictly, then executed with tsx against the real brokers (each prints what it received).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { TRANSPORTS, generate } from '../src/generate.js';
import { amqpBroker, kafkaBrokers, mqttBroker, natsBroker } from './brokers/support.js';
import { startSchemaRegistry } from './support/schema-registry.js';
import { OUT, ROOT, SEED_SPECS } from './support/specs.js';

const run = promisify(execFile);
const [nats, mqtt, amqp] = await Promise.all([natsBroker(), mqttBroker(), amqpBroker()]);
const kafka = kafkaBrokers();

beforeAll(async () => {
  // What `npx codegen` writes (codegen.config.json): both specs with every adapter.
  for (const [name, spec] of SEED_SPECS) await generate({ spec: path.join(ROOT, spec), output: path.join(ROOT, 'generated', name), transports: TRANSPORTS });
  await generate({ spec: path.join(ROOT, 'specs', 'orders-avro.asyncapi.yaml'), output: path.join(ROOT, 'generated', 'orders-avro'), transports: ['kafka'] });
});

describe('examples/', () => {
  it('type-check under strict settings', async () => {
    const dir = path.join(OUT, 'examples');
    await mkdir(dir, { recursive: true });
    const config = path.join(dir, 'tsconfig.json');
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    };
    await writeFile(config, JSON.stringify({ compilerOptions, include: [path.join(ROOT, 'examples', '*.ts')] }));
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', config], { cwd: ROOT }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('');
  });

  it.for([
    ['memory.ts', true, /received com\.qlik\.user-session\.begin for auth0\\foo on system-events\.user-session/],
    ['standard-schema.ts', true, /valid: com\.qlik\.user-session\.begin for auth0\\foo\ninvalid: data\.subject: .*must be string/],
    ['nats.ts', nats?.available ?? false, /received com\.qlik\.user-session\.begin .* over NATS JetStream/],
    ['mqtt.ts', mqtt?.available ?? false, /received com\.qlik\.user-session\.end .* over MQTT/],
    ['amqp.ts', amqp?.available ?? false, /received clientCreated over RabbitMQ/],
    ['webhook.ts', true, /received com\.qlik\.user-session\.begin .* at http:\/\/127\.0\.0\.1:\d+\/hooks/],
    ['kafka.ts', kafka.available, /received clientDeleted over Kafka/],
    ['kafka-avro.ts', kafka.available, /received order o-1 \(3 at 19\.99, PAID\) as Avro over Kafka/],
    ['tracing.ts', nats?.available ?? false, /continued in the handler: true .*\(CONSUMER\)\)\n.*passed by hand arrived: true/],
    ['websocket.ts', true, /received com\.qlik\.user-session\.begin .* at ws:\/\/127\.0\.0\.1:\d+\/events\npushed com\.qlik\.user-session\.end .* to 1 client/],
  ] as const)('%s runs and receives what it sent', async ([file, available, want], ctx) => {
    // Outside CI a broker that is down skips (the support module fails the run under CI=true); Kafka runs on the global setup's mock cluster or KAFKA_BROKERS.
    if (!available) return ctx.skip(`examples/${file}: its broker is not reachable here`);
    // kafka-avro.ts needs a schema registry: a Confluent-compatible one on loopback stands in.
    const registry = file === 'kafka-avro.ts' ? await startSchemaRegistry() : undefined;
    try {
      const env = { ...process.env, KAFKA_BROKERS: kafka.brokers.join(','), ...(registry ? { SCHEMA_REGISTRY_URL: registry.url } : {}) };
      const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join('examples', file)], { cwd: ROOT, timeout: 60_000, env });
      expect(stdout).toMatch(want);
    } finally {
      await registry?.close();
    }
  });
});
