/**
 * How a scaffold connects, per transport: the import, the code that opens the connection from
 * environment variables (defaults reach a broker on this machine) and what the README says.
 */
import { TRANSPORTS, type TransportName } from '../generate.js';

export const SCAFFOLD_TRANSPORTS = ['memory', ...TRANSPORTS] as const;
export type ScaffoldTransport = (typeof SCAFFOLD_TRANSPORTS)[number];

export interface EnvVar {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
}

export interface TransportSetup {
  /** Adapter file in the generated `runtime/` folder. */
  readonly module: string;
  /** What index.ts imports from it. */
  readonly imports: string;
  /** Statements that leave `publisher` and `subscriber` transports (the same one except for webhooks). */
  readonly connect: (service: string) => string;
  readonly env: readonly EnvVar[];
  /** The adapter the generator emits; none for the in-memory transport, which is always there. */
  readonly adapter?: TransportName;
  readonly title: string;
}

export function isScaffoldTransport(value: string): value is ScaffoldTransport {
  return (SCAFFOLD_TRANSPORTS as readonly string[]).includes(value);
}

export const TRANSPORT_SETUPS: Readonly<Record<ScaffoldTransport, TransportSetup>> = {
  memory: {
    title: 'the in-memory transport (this process only)',
    module: 'memory',
    imports: 'MemoryTransport',
    connect: () => 'const transport = new MemoryTransport();',
    env: [],
  },
  nats: {
    title: 'NATS',
    adapter: 'nats',
    module: 'nats',
    imports: 'connectNats',
    connect: (service) => `const transport = await connectNats({ servers: (process.env.NATS_SERVERS ?? '127.0.0.1:4222').split(','), name: ${JSON.stringify(service)} });`,
    env: [{ name: 'NATS_SERVERS', default: '127.0.0.1:4222', meaning: 'comma-separated NATS servers' }],
  },
  mqtt: {
    title: 'MQTT',
    adapter: 'mqtt',
    module: 'mqtt',
    imports: 'connectMqtt',
    connect: () => "const transport = await connectMqtt({ url: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' });",
    env: [{ name: 'MQTT_URL', default: 'mqtt://127.0.0.1:1883', meaning: 'broker URL (mqtt://, mqtts://, ws://)' }],
  },
  amqp: {
    title: 'AMQP 0-9-1 (RabbitMQ)',
    adapter: 'amqp',
    module: 'amqp',
    imports: 'connectAmqp',
    connect: (service) =>
      [
        'const transport = await connectAmqp({',
        "  url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',",
        `  exchange: process.env.AMQP_EXCHANGE ?? ${JSON.stringify(service)},`,
        '});',
      ].join('\n'),
    env: [
      { name: 'AMQP_URL', default: 'amqp://guest:guest@127.0.0.1:5672', meaning: 'broker URL' },
      { name: 'AMQP_EXCHANGE', default: '<package name>', meaning: 'the topic exchange every address lives on' },
    ],
  },
  kafka: {
    title: 'Kafka',
    adapter: 'kafka',
    module: 'kafka',
    imports: 'connectKafka',
    connect: (service) => `const transport = await connectKafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), clientId: ${JSON.stringify(service)} });`,
    env: [{ name: 'KAFKA_BROKERS', default: '127.0.0.1:9092', meaning: 'comma-separated bootstrap brokers' }],
  },
  webhook: {
    title: 'HTTP webhooks',
    adapter: 'webhook',
    module: 'webhook',
    imports: 'webhookReceiver, webhookSender',
    connect: () =>
      [
        '// The receiver verifies the HMAC signature the sender adds; set a real secret outside development.',
        "const secret = process.env.WEBHOOK_SECRET ?? 'development-only-secret';",
        'const receiver = webhookReceiver({ secret });',
        "const { url } = await receiver.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 8080) });",
        'const sender = webhookSender({ url: process.env.WEBHOOK_URL ?? url, secret });',
      ].join('\n'),
    env: [
      { name: 'HOST', default: '127.0.0.1', meaning: 'interface the receiver listens on' },
      { name: 'PORT', default: '8080', meaning: 'port the receiver listens on' },
      { name: 'WEBHOOK_URL', default: 'this receiver', meaning: 'where published messages are POSTed (the address is appended)' },
      { name: 'WEBHOOK_SECRET', default: 'development-only-secret', meaning: 'HMAC secret shared by sender and receiver' },
    ],
  },
};

/** Variable names of the two transports `connect` leaves, and how to close them. */
export function endpoints(transport: ScaffoldTransport): { readonly publisher: string; readonly subscriber: string; readonly close: readonly string[] } {
  if (transport === 'webhook') return { publisher: 'sender', subscriber: 'receiver', close: ['sender', 'receiver'] };
  return { publisher: 'transport', subscriber: 'transport', close: ['transport'] };
}
