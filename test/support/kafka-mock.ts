/**
 * librdkafka's mock cluster as a child process (test/support/kafka-mock.c, built by
 * kafka-mock-build.sh into test/.kafka-mock/): a real Kafka protocol implementation, in memory, on
 * loopback ports. Topics are created through its stdin, since the mock has no CreateTopics.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT } from './specs.js';

export const KAFKA_MOCK_BIN = path.join(ROOT, 'test', '.kafka-mock', 'kafka-mock');
export const KAFKA_MOCK_BUILD = 'bash test/support/kafka-mock-build.sh';

export interface KafkaMock {
  /** `host:port` of brokers 1, 2 and 3 (the advertised ports, when given). */
  readonly brokers: string[];
  /** The ports the brokers really listen on, in broker order. */
  readonly listeners: number[];
  readonly pid: number;
  /** Creates topics with this many partitions (replication factor 3). */
  createTopics(names: readonly string[], partitions?: number): Promise<void>;
  /** SIGKILL: the cluster and everything it stored are gone at once, as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM, and waits for the process to end. */
  stop(): Promise<void>;
}

/** Why the mock cannot run here, or undefined when its binary is built. */
export function kafkaMockMissing(): string | undefined {
  return existsSync(KAFKA_MOCK_BIN) ? undefined : `the librdkafka mock cluster is not built (build it with: ${KAFKA_MOCK_BUILD})`;
}

/** Starts a mock cluster; `advertise` makes its metadata name other ports (proxies in front of it). */
export async function startKafkaMock(options: { advertise?: readonly number[]; topics?: readonly string[] } = {}): Promise<KafkaMock> {
  const missing = kafkaMockMissing();
  if (missing !== undefined) throw new Error(missing);
  const args = [...(options.advertise ? ['-a', options.advertise.join(',')] : []), ...(options.topics ?? [])];
  const child: ChildProcessWithoutNullStreams = spawn(KAFKA_MOCK_BIN, args, { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  // Lines that came before anyone asked are kept: two can arrive in one chunk.
  const waiting: Array<(line: string) => void> = [];
  const unread: string[] = [];
  const next = (): Promise<string> => {
    const line = unread.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
  };
  lines.on('line', (line) => {
    const reader = waiting.shift();
    if (reader) reader(line);
    else unread.push(line);
  });
  /** The next line, or a rejection if the cluster exits first. */
  const answer = (): Promise<string> => Promise.race([next(), exited.then(() => Promise.reject(new Error(`the Kafka mock cluster exited: ${stderr.trim()}`)))]);
  const first = await Promise.race([next(), exited.then(() => undefined), new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000).unref())]);
  if (first === undefined || !/^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+){2}$/.test(first)) {
    child.kill('SIGKILL');
    throw new Error(`the Kafka mock cluster did not start: ${first ?? stderr.trim() ?? 'no output'}`);
  }
  // Every topic given as an argument is answered before anything read from stdin.
  for (const topic of options.topics ?? []) {
    const line = await answer();
    if (!line.startsWith('created ')) throw new Error(`Kafka mock cluster: ${line} (${topic})`);
  }
  const listeners = first.split(',').map((b) => Number(b.split(':')[1]));
  const brokers = options.advertise ? options.advertise.map((p) => `127.0.0.1:${p}`) : first.split(',');
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    // A cluster that does not stop in 5 s is killed: a test run never waits on it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  let queue = Promise.resolve();
  return {
    brokers,
    listeners,
    pid: child.pid ?? -1,
    createTopics(names, partitions = 1) {
      // One request at a time, so each answer belongs to the line just written.
      const run = queue.then(async () => {
        for (const name of names) {
          const reply = answer();
          child.stdin.write(`${name}:${partitions}\n`);
          const line = await reply;
          if (line !== `created ${name}`) throw new Error(`Kafka mock cluster: ${line}`);
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

/** A loopback port that forwards to a target that can change, so clients keep one address across restarts. */
async function forwarder(): Promise<{ port: number; target: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { port: 0, target: 0, close: async (): Promise<void> => undefined };
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: state.target });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(s);
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

export interface RestartableKafkaMock {
  /** Addresses that stay the same across restarts. */
  readonly brokers: string[];
  /** The cluster process now; replaced by restart(). */
  readonly current: KafkaMock;
  /** SIGKILL: every connection drops, everything stored is gone. */
  kill(): Promise<void>;
  /** A new, empty cluster behind the same addresses, with these topics. */
  restart(topics?: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/** A mock cluster behind forwarding ports, so it can be killed and started again where clients expect it. */
export async function startRestartableKafkaMock(topics: readonly string[] = []): Promise<RestartableKafkaMock> {
  const ports = await Promise.all([forwarder(), forwarder(), forwarder()]);
  const advertise = ports.map((p) => p.port);
  let current = await startKafkaMock({ advertise, topics });
  const aim = (mock: KafkaMock): void => ports.forEach((p, i) => (p.target = mock.listeners[i] ?? 0));
  aim(current);
  return {
    brokers: advertise.map((p) => `127.0.0.1:${p}`),
    get current() {
      return current;
    },
    kill: () => current.kill(),
    async restart(again = topics) {
      await current.kill();
      current = await startKafkaMock({ advertise, topics: again });
      aim(current);
    },
    async stop() {
      await current.stop();
      await Promise.all(ports.map((p) => p.close()));
    },
  };
}
