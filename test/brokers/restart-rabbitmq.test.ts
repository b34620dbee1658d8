/**
 * A RabbitMQ node killed (SIGKILL) and restarted on the same port and data while the generated
 * client publishes a numbered stream of events, with publisher confirms, to a durable group:
 * every publish the broker confirmed reaches the handler at least once, and both clients
 * reconnect on their own. The node is a private one this file starts
 * (test/brokers/private-broker.ts), never the shared one.
 *
 * The group queue is classic, not the default quorum: RabbitMQ 3.10 (Ra 2.2) writes a new quorum
 * queue's Raft registration to disk lazily (DETS auto-save, up to 3 minutes), so a node killed
 * within minutes of declaring one restarts with the queue leaderless for good. A queue that old is
 * what production has; here it would cost a clean restart first, doubling the file's run time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createUserSessionsClient } from '../__snapshots__/user-sessions/index.js';
import { connectAmqp, type AmqpTransport, type AmqpTransportOptions } from '../../templates/runtime/amqp.js';
import { crashMidStream, privateRabbitmq } from './private-broker.js';

const slot = await privateRabbitmq();
const TOTAL = 300;
const CRASH_AFTER = 100;

// The private broker's binary missing or failing to start skips this with the reason in the title; under CI=true it fails instead.
describe.skipIf(!slot.available)(slot.title, () => {
  const transports: AmqpTransport[] = [];
  afterAll(async () => {
    await Promise.allSettled(transports.map((t) => t.close()));
    await slot.broker?.dispose();
  });

  it(`loses none of ${TOTAL} confirmed events across a crash, and the clients reconnect by themselves`, async () => {
    const broker = slot.broker;
    if (!broker) throw new Error('unreachable: the suite is skipped without a broker');
    const reports = { publisher: [] as string[], subscriber: [] as string[] };
    const options = (side: keyof typeof reports): AmqpTransportOptions => ({
      url: `amqp://guest:guest@127.0.0.1:${broker.port}`,
      // A node restart takes seconds: publishes wait for it rather than fail.
      reconnectWaitMs: 60_000,
      groupQueueType: 'classic',
      recovery: { initialDelay: 100, maxDelay: 500 },
      onError: (error) => void reports[side].push(error.message),
    });
    const [pubTransport, subTransport] = [await connectAmqp(options('publisher')), await connectAmqp(options('subscriber'))];
    transports.push(pubTransport, subTransport);
    const publisher = createUserSessionsClient(pubTransport);
    const subscriber = createUserSessionsClient(subTransport);

    const { acked, failed, deliveries, ackedBeforeCrash, lost } = await crashMidStream(broker, publisher, subscriber, { total: TOTAL, crashAfter: CRASH_AFTER });
    const redelivered = [...deliveries.values()].filter((count) => count > 1).length;
    console.info(`RabbitMQ restart: ${acked.size} confirmed (${ackedBeforeCrash} before the crash), ${failed.length} failed, ${deliveries.size} received, ${redelivered} delivered more than once`);

    expect(lost()).toEqual([]);
    expect(acked.size + failed.length).toBe(TOTAL);
    for (const failure of failed) expect(failure).toMatch(/AMQP|confirm/);
    // Publishing went on after the restart on the same transports: nothing in the test reconnected them.
    expect(acked.has(TOTAL - 1)).toBe(true);
    expect(reports.publisher.some((m) => m.includes('connection lost'))).toBe(true);
    expect(reports.subscriber.some((m) => m.includes('connection lost'))).toBe(true);
  });
});
