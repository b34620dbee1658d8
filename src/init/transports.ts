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
  /**
   * Statements that leave `publisher` and `subscriber` transports (the same one except for
   * webhooks and WebSocket). A broker that cannot be reached ends the program through `fail` (templates/scaffold/
   * index.ts.hbs): one line with the address and the fix, not a stack trace.
   */
  readonly connect: (service: string) => string;
  /**
   * Where the spec's messages travel as Avro in the Confluent wire format (Kafka): the connection
   * with its value codec, given the generated client's folder and the spec's registry URL.
   */
  readonly connectAvro?: ((service: string, clientDir: string, registryUrl: string) => { readonly imports: readonly string[]; readonly code: string }) | undefined;
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
    connect: (service) =>
      [
        "const servers = process.env.NATS_SERVERS ?? '127.0.0.1:4222';",
        `const transport = await connectNats({ servers: servers.split(','), name: ${JSON.stringify(service)} }).catch((error: unknown) =>`,
        '  fail(`cannot connect to NATS at ${servers}: ${reason(error)}. Start a server there (nats-server -js) or set NATS_SERVERS.`),',
        ');',
      ].join('\n'),
    env: [{ name: 'NATS_SERVERS', default: '127.0.0.1:4222', meaning: 'comma-separated NATS servers' }],
  },
  mqtt: {
    title: 'MQTT',
    adapter: 'mqtt',
    module: 'mqtt',
    imports: 'connectMqtt',
    connect: () =>
      [
        "const url = process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';",
        'const transport = await connectMqtt({ url }).catch((error: unknown) =>',
        '  fail(`cannot connect to MQTT at ${url}: ${reason(error)}. Start a broker there (mosquitto) or set MQTT_URL.`),',
        ');',
      ].join('\n'),
    env: [{ name: 'MQTT_URL', default: 'mqtt://127.0.0.1:1883', meaning: 'broker URL (mqtt://, mqtts://, ws://)' }],
  },
  amqp: {
    title: 'AMQP 0-9-1 (RabbitMQ)',
    adapter: 'amqp',
    module: 'amqp',
    imports: 'connectAmqp',
    connect: (service) =>
      [
        "const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';",
        `const transport = await connectAmqp({ url, exchange: process.env.AMQP_EXCHANGE ?? ${JSON.stringify(service)} }).catch((error: unknown) =>`,
        // The URL may carry a password: only its host is shown.
        '  fail(`cannot connect to AMQP at ${new URL(url).host}: ${reason(error)}. Start a broker there (rabbitmq-server) or set AMQP_URL.`),',
        ');',
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
    connect: (service) =>
      [
        "const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';",
        `const transport = await connectKafka({ brokers: brokers.split(','), clientId: ${JSON.stringify(service)} }).catch((error: unknown) =>`,
        '  fail(`cannot connect to Kafka at ${brokers}: ${reason(error)}. Start a broker there or set KAFKA_BROKERS.`),',
        ');',
      ].join('\n'),
    env: [{ name: 'KAFKA_BROKERS', default: '127.0.0.1:9092', meaning: 'comma-separated bootstrap brokers' }],
    connectAvro: (service, clientDir, registryUrl) => ({
      imports: [`import { avroChannels } from './generated/${clientDir}/avro.js';`, `import { confluentAvro } from './generated/${clientDir}/runtime/avro.js';`],
      code: [
        "const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';",
        `const registry = process.env.SCHEMA_REGISTRY_URL ?? ${JSON.stringify(registryUrl)};`,
        "// Avro in the Confluent wire format: schema ids come from the registry (autoRegister: true registers the spec's schemas).",
        'const valueCodec = confluentAvro({ registry: { url: registry }, channels: avroChannels });',
        `const transport = await connectKafka({ brokers: brokers.split(','), clientId: ${JSON.stringify(service)}, valueCodec }).catch((error: unknown) =>`,
        '  fail(`cannot connect to Kafka at ${brokers}: ${reason(error)}. Start a broker there or set KAFKA_BROKERS.`),',
        ');',
      ].join('\n'),
    }),
  },
  webhook: {
    title: 'HTTP webhooks',
    adapter: 'webhook',
    module: 'webhook',
    imports: 'webhookReceiver, webhookSender',
    connect: () =>
      [
        // No built-in secret: a receiver with a guessable one accepts anybody's events.
        "// The webhook's secret: Qlik Cloud signs each delivery with it (Qlik-Signature: hex HMAC-SHA256 of the body).",
        "const secret = process.env.WEBHOOK_SECRET ?? '';",
        "if (secret === '') fail('WEBHOOK_SECRET is not set: set it to the secret of the webhook that posts here (in Qlik Cloud, the one entered when creating the webhook, 32 to 64 characters).');",
        'const receiver = webhookReceiver({ secret });',
        "const host = process.env.HOST ?? '127.0.0.1';",
        'const port = Number(process.env.PORT ?? 8080);',
        'const { url } = await receiver.listen({ host, port }).catch((error: unknown) =>',
        '  fail(`cannot listen on ${host}:${port}: ${reason(error)}. Set PORT to a free port, or HOST to an address of this machine.`),',
        ');',
        'const sender = webhookSender({ url: process.env.WEBHOOK_URL ?? url, secret });',
      ].join('\n'),
    env: [
      { name: 'HOST', default: '127.0.0.1', meaning: 'interface the receiver listens on' },
      { name: 'PORT', default: '8080', meaning: 'port the receiver listens on' },
      { name: 'WEBHOOK_URL', default: 'this receiver', meaning: 'where published messages are POSTed (the address is appended)' },
      { name: 'WEBHOOK_SECRET', default: '(none: required)', meaning: 'HMAC-SHA256 secret of the webhook (Qlik Cloud: 32 to 64 characters); the service will not start without it' },
    ],
  },
  websocket: {
    title: 'WebSocket',
    adapter: 'websocket',
    module: 'websocket-node',
    imports: 'connectNodeWebSocket, webSocketServer',
    connect: () =>
      [
        // The service serves its channels as WebSocket paths; the publisher is a client of it (or of WEBSOCKET_URL).
        'const wsServer = webSocketServer();',
        "const host = process.env.HOST ?? '127.0.0.1';",
        'const port = Number(process.env.PORT ?? 8080);',
        'const { url } = await wsServer.listen({ host, port }).catch((error: unknown) =>',
        '  fail(`cannot listen on ${host}:${port}: ${reason(error)}. Set PORT to a free port, or HOST to an address of this machine.`),',
        ');',
        'const wsClient = connectNodeWebSocket({ url: process.env.WEBSOCKET_URL ?? url });',
      ].join('\n'),
    env: [
      { name: 'HOST', default: '127.0.0.1', meaning: 'interface the WebSocket server listens on' },
      { name: 'PORT', default: '8080', meaning: 'port the WebSocket server listens on' },
      { name: 'WEBSOCKET_URL', default: 'this server', meaning: 'ws:// or wss:// base URL published messages go to (the address is appended as its path)' },
    ],
  },
};

/** Variable names of the two transports `connect` leaves, and how to close them. */
export function endpoints(transport: ScaffoldTransport): { readonly publisher: string; readonly subscriber: string; readonly close: readonly string[] } {
  if (transport === 'webhook') return { publisher: 'sender', subscriber: 'receiver', close: ['sender', 'receiver'] };
  if (transport === 'websocket') return { publisher: 'wsClient', subscriber: 'wsServer', close: ['wsClient', 'wsServer'] };
  return { publisher: 'transport', subscriber: 'transport', close: ['transport'] };
}
