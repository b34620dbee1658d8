/**
 * What the broker tests share: whether a broker answers (a test file fails under CI=true when it
 * does not, and skips with the reason otherwise), unique names so parallel runs never share a
 * subject, queue or topic, a TCP proxy that can cut connections, and a poll helper.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { inject, type ProvidedContext } from 'vitest';
import type {} from '../support/kafka-mock-setup.js'; // declares ProvidedContext['kafkaMock']

export interface Broker {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly available: boolean;
  /** Why the tests are skipped; empty when available. */
  readonly reason: string;
  /** A describe title that carries the skip reason, so a skipped suite says why. */
  readonly title: string;
}

export function reachable(port: number, host = '127.0.0.1', timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Checks a broker once per test file. Under CI=true an unreachable broker is an error, not a skip. */
export async function broker(name: string, port: number, start: string, host = '127.0.0.1'): Promise<Broker> {
  const available = await reachable(port, host);
  const reason = available ? '' : `${name} is not reachable at ${host}:${port} (start it with: ${start})`;
  if (!available && process.env['CI'] === 'true') throw new Error(`CI=true and ${reason}`);
  if (!available) console.warn(`skipping ${name} tests: ${reason}`);
  return { name, host, port, available, reason, title: available ? name : `${name} (skipped: ${reason})` };
}

export const NATS_START = 'nats-server -js (see .ci/run)';
export const MQTT_START = 'mosquitto -d -c /etc/mosquitto/mosquitto.conf';
export const AMQP_START = 'rabbitmq-server -detached';

export const natsBroker = (): Promise<Broker> => broker('NATS', 4222, NATS_START);
export const mqttBroker = (): Promise<Broker> => broker('MQTT', 1883, MQTT_START);
export const amqpBroker = (): Promise<Broker> => broker('AMQP', 5672, AMQP_START);

/** The Kafka cluster of the Kafka suites: KAFKA_BROKERS, else the librdkafka mock cluster that the global setup started. */
export interface KafkaBrokers {
  readonly brokers: string[];
  readonly available: boolean;
  /** The mock cluster: its stated limits (no admin topic/group APIs, no transactions) skip with that reason. */
  readonly mock: boolean;
  readonly reason: string;
  readonly title: string;
}

export function kafkaBrokers(): KafkaBrokers {
  const list = (process.env['KAFKA_BROKERS'] ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');
  if (list.length > 0) return { brokers: list, available: true, mock: false, reason: '', title: 'Kafka' };
  // Outside vitest (or before the setup ran) there is nothing injected.
  const provided = inject('kafkaMock') as ProvidedContext['kafkaMock'] | undefined;
  if (provided !== undefined && 'brokers' in provided) return { brokers: provided.brokers, available: true, mock: true, reason: '', title: 'Kafka (librdkafka mock cluster)' };
  const reason = `${provided?.reason ?? 'no Kafka mock cluster was started'}; or set KAFKA_BROKERS=host:port to run against a broker`;
  if (process.env['CI'] === 'true') throw new Error(`CI=true and ${reason}`);
  return { brokers: [], available: false, mock: false, reason, title: `Kafka (skipped: ${reason})` };
}

/** A name no other test run uses: `prefix-<pid>-<random>`, safe as a subject, topic, queue or path segment. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Polls until `check` returns true or the time is up; the failure names what was awaited. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * A loopback TCP proxy in front of a broker, so a test can cut every connection (as a network
 * failure or broker restart would) and let clients reconnect, without touching the shared broker.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private server: net.Server | undefined;
  private refusing = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => {
      if (this.refusing) {
        client.destroy();
        return;
      }
      const upstream = net.connect(this.target);
      this.sockets.add(client);
      this.sockets.add(upstream);
      client.pipe(upstream);
      upstream.pipe(client);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  /** Destroys every open connection; with `refuseMs`, new ones are dropped for that long too. */
  async cut(refuseMs = 0): Promise<void> {
    this.refusing = refuseMs > 0;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (refuseMs > 0) {
      await new Promise((r) => setTimeout(r, refuseMs));
      this.refusing = false;
    }
  }

  /** Stops passing what the broker sends while keeping every connection open: a broker that hangs. */
  freeze(): void {
    for (const s of this.sockets) s.pause();
  }

  get connections(): number {
    return this.sockets.size / 2;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
