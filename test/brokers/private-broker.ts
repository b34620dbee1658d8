/**
 * A broker process of a test's own, for tests that kill it: the shared brokers on the standard
 * ports serve other test files at the same time and must never go down. Each broker gets a free
 * port and a temporary data folder; it can be killed with SIGKILL (a crash, not a clean stop) and
 * started again on the same port and data. As with support.ts, a broker that cannot start skips
 * the file with the reason, and fails it under CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { UserSessionsClient } from '../__snapshots__/user-sessions/index.js';
import { eventually, reachable, uniqueName } from './support.js';

/** A port nothing listens on right now, picked by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The executable on PATH or in the sbin folders, where packages put servers (not on a user's PATH). */
function which(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs.filter((d) => d !== '')) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

export class PrivateBroker {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private output = '';
  /** Kills the process group if the test process ends without afterAll (a crash of the runner). */
  private readonly onExit = (): void => this.signal('SIGKILL');

  constructor(
    readonly name: string,
    readonly port: number,
    readonly dir: string,
    private readonly launch: Launch,
    private readonly startTimeoutMs: number,
  ) {}

  /** Starts the process and resolves once its port answers; rejects with the broker's last output. */
  async start(): Promise<void> {
    if (this.child) throw new Error(`${this.name} is already running`);
    this.output = '';
    const child = spawn(this.launch.command, [...this.launch.args], { env: this.launch.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    process.once('exit', this.onExit);
    const keep = (chunk: Buffer): void => void (this.output = (this.output + chunk.toString()).slice(-4000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let gone = false;
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => void (this.output += `\n${error.message}`));
      child.once('close', () => {
        gone = true;
        resolve();
      });
    });
    try {
      await eventually(
        async () => {
          if (gone) throw new Error('exited');
          return reachable(this.port, '127.0.0.1', 500);
        },
        `${this.name} to listen on 127.0.0.1:${this.port}`,
        this.startTimeoutMs,
      );
    } catch (error) {
      await this.kill();
      throw new Error(`${this.name} did not start (${(error as Error).message}); its last output:\n${this.output}`);
    }
  }

  /** SIGKILL to the whole process group, as a crash would; resolves once the port is free again. */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.signal('SIGKILL');
    await this.exited;
    this.child = undefined;
    process.removeListener('exit', this.onExit);
    await eventually(async () => !(await reachable(this.port, '127.0.0.1', 200)), `${this.name} to release port ${this.port}`);
  }

  /** Kills the process if it runs and removes its data. */
  async dispose(): Promise<void> {
    await this.kill().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal); // detached: the group holds the start script and the server it runs
    } catch {
      // already gone
    }
  }
}

export interface PrivateBrokerSlot {
  readonly broker: PrivateBroker | undefined;
  readonly available: boolean;
  /** A describe title that carries the skip reason. */
  readonly title: string;
}

/** Starts the broker once per test file; a failure fails the file under CI=true and skips it otherwise. */
async function started(name: string, make: () => Promise<PrivateBroker>, install: string): Promise<PrivateBrokerSlot> {
  let broker: PrivateBroker | undefined;
  try {
    broker = await make();
    await broker.start();
    return { broker, available: true, title: `${name} (private, port ${broker.port})` };
  } catch (error) {
    await broker?.dispose();
    const reason = `a private ${name} could not start: ${(error as Error).message.split('\n')[0] ?? ''} (${install})`;
    if (process.env['CI'] === 'true') throw new Error(`CI=true and ${reason}`);
    console.warn(`skipping ${name} restart tests: ${reason}`);
    return { broker: undefined, available: false, title: `${name} (skipped: ${reason})` };
  }
}

/** nats-server with JetStream storing in a temporary folder. */
export function privateNats(): Promise<PrivateBrokerSlot> {
  return started(
    'NATS JetStream',
    async () => {
      const command = which('nats-server');
      if (!command) throw new Error('nats-server is not installed');
      const [port, dir] = await Promise.all([freePort(), mkdtemp(path.join(os.tmpdir(), 'private-nats-'))]);
      const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, 'jetstream')];
      return new PrivateBroker('nats-server', port, dir, { command, args, env: process.env }, 15_000);
    },
    'install nats-server',
  );
}

/**
 * A second RabbitMQ node beside the shared one: its own node name, ports, data, logs and cookie
 * (HOME), no plugins (the management plugin would want port 15672), and its own config and env
 * files so the system ones, which name the shared node and its port, are not read.
 */
export function privateRabbitmq(): Promise<PrivateBrokerSlot> {
  return started(
    'RabbitMQ',
    async () => {
      const found = which('rabbitmq-server');
      if (!found) throw new Error('rabbitmq-server is not installed');
      // Debian's wrapper switches to the rabbitmq user; the script beside it runs the node as we are.
      const real = realpathSync(found);
      const command = path.basename(real) === 'rabbitmq-script-wrapper' ? path.join(path.dirname(real), 'rabbitmq-server') : real;
      const [port, distPort, dir] = await Promise.all([freePort(), freePort(), mkdtemp(path.join(os.tmpdir(), 'private-rabbitmq-'))]);
      const file = (name: string): string => path.join(dir, name);
      await Promise.all([writeFile(file('enabled_plugins'), '[].\n'), writeFile(file('rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\n`), writeFile(file('rabbitmq-env.conf'), '')]);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        HOME: dir,
        RABBITMQ_NODENAME: `${uniqueName('codegen-test')}@localhost`,
        RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
        RABBITMQ_NODE_PORT: String(port),
        RABBITMQ_DIST_PORT: String(distPort),
        RABBITMQ_MNESIA_BASE: file('mnesia'),
        RABBITMQ_LOG_BASE: file('log'),
        RABBITMQ_PID_FILE: file('rabbitmq.pid'),
        RABBITMQ_ENABLED_PLUGINS_FILE: file('enabled_plugins'),
        RABBITMQ_CONFIG_FILE: file('rabbitmq.conf'),
        RABBITMQ_ADVANCED_CONFIG_FILE: file('advanced.config'),
        RABBITMQ_CONF_ENV_FILE: file('rabbitmq-env.conf'),
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
        ERL_EPMD_ADDRESS: '127.0.0.1',
      };
      // A first boot creates the database: tens of seconds on a loaded machine.
      return new PrivateBroker('rabbitmq-server', port, dir, { command, args: [], env }, 90_000);
    },
    'install rabbitmq-server',
  );
}

/** What happened to a numbered stream of events across a broker crash. */
export interface CrashOutcome {
  /** Numbers whose publish the broker acknowledged (confirmed). */
  readonly acked: ReadonlySet<number>;
  /** Publishes that failed, with their error: not acknowledged, so nothing is claimed about them. */
  readonly failed: readonly string[];
  /** Deliveries to the handler per number. */
  readonly deliveries: ReadonlyMap<number, number>;
  readonly ackedBeforeCrash: number;
  /** Acknowledged numbers that never reached the handler; empty once everything arrived. */
  lost(): number[];
}

/**
 * Publishes `total` numbered userSessionBegin events one after another while a durable group
 * subscriber counts them; after `crashAfter` acknowledged publishes the broker is SIGKILLed and
 * started again on the same port and data. Resolves once every acknowledged event has arrived
 * (or `eventually` gives up), without reconnecting anything itself.
 */
export async function crashMidStream(
  broker: PrivateBroker,
  publisher: UserSessionsClient,
  subscriber: UserSessionsClient,
  { total, crashAfter }: { readonly total: number; readonly crashAfter: number },
): Promise<CrashOutcome> {
  const deliveries = new Map<number, number>();
  await subscriber.userSessionBegin.subscribe(
    async (event) => {
      const n = Number(event.sessionid);
      deliveries.set(n, (deliveries.get(n) ?? 0) + 1);
    },
    { group: 'audit-restart' },
  );

  const acked = new Set<number>();
  const failed: string[] = [];
  const publishing = (async () => {
    for (let n = 0; n < total; n++) {
      try {
        await publisher.userSessionBegin.emit({ source: 'com.qlik/edge-auth', tenantid: 'restart-test', sessionid: String(n), data: {} });
        acked.add(n);
      } catch (error) {
        failed.push(`#${n}: ${(error as Error).message}`);
      }
    }
  })();

  await eventually(() => acked.size >= crashAfter, `${crashAfter} acknowledged publishes`);
  await broker.kill();
  const ackedBeforeCrash = acked.size;
  await broker.start();
  await publishing;

  const lost = (): number[] => [...acked].filter((n) => !deliveries.has(n));
  await eventually(() => lost().length === 0, 'every acknowledged event to reach the handler', 30_000);
  return { acked, failed, deliveries, ackedBeforeCrash, lost };
}
