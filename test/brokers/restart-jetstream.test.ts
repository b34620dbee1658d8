/**
 * A NATS server killed (SIGKILL) and restarted on the same port and store while the generated
 * client publishes a numbered stream of events to a durable group: every publish JetStream
 * acknowledged reaches the handler at least once, and both clients reconnect on their own. The
 * server is a private one this file starts (test/brokers/private-broker.ts), never the shared one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createUserSessionsClient } from '../__snapshots__/user-sessions/index.js';
import { connectNats, type NatsTransport, type NatsTransportOptions } from '../../templates/runtime/nats.js';
import { crashMidStream, privateNats } from './private-broker.js';

const slot = await privateNats();
const TOTAL = 300;
const CRASH_AFTER = 100;

/** Connection events as the client reports them, to tell that it reconnected without help. */
function watch(transport: NatsTransport): string[] {
  const seen: string[] = [];
  void (async () => {
    for await (const status of transport.connection.status()) if (status.type === 'disconnect' || status.type === 'reconnect') seen.push(status.type);
  })();
  return seen;
}

// The private broker's binary missing or failing to start skips this with the reason in the title; under CI=true it fails instead.
describe.skipIf(!slot.available)(slot.title, () => {
  const transports: NatsTransport[] = [];
  afterAll(async () => {
    await Promise.allSettled(transports.map((t) => t.close()));
    await slot.broker?.dispose();
  });

  it(`loses none of ${TOTAL} acknowledged events across a crash, and the clients reconnect by themselves`, async () => {
    const broker = slot.broker;
    if (!broker) throw new Error('unreachable: the suite is skipped without a broker');
    const options: NatsTransportOptions = {
      servers: `127.0.0.1:${broker.port}`,
      reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
      publishWaitMs: 30_000,
      // A handler's ack lost in the crash comes back after ackWaitMs, not the default 30 s.
      jetstream: { ensureStream: { name: 'SYSTEM_EVENTS', subjects: ['system-events.>'] }, ackWaitMs: 2000 },
    };
    const [pubTransport, subTransport] = [await connectNats(options), await connectNats(options)];
    transports.push(pubTransport, subTransport);
    const events = { publisher: watch(pubTransport), subscriber: watch(subTransport) };
    const publisher = createUserSessionsClient(pubTransport);
    const subscriber = createUserSessionsClient(subTransport);

    const { acked, failed, deliveries, ackedBeforeCrash, lost } = await crashMidStream(broker, publisher, subscriber, { total: TOTAL, crashAfter: CRASH_AFTER });
    const redelivered = [...deliveries.values()].filter((count) => count > 1).length;
    console.info(`JetStream restart: ${acked.size} acknowledged (${ackedBeforeCrash} before the crash), ${failed.length} failed, ${deliveries.size} received, ${redelivered} delivered more than once`);

    expect(lost()).toEqual([]);
    expect(acked.size + failed.length).toBe(TOTAL);
    for (const failure of failed) expect(failure).toMatch(/JetStream did not acknowledge the publish to "system-events.user-session"|NATS is disconnected/);
    // Publishing went on after the restart on the same transports: nothing in the test reconnected them.
    expect(acked.has(TOTAL - 1)).toBe(true);
    expect(events.publisher).toEqual(expect.arrayContaining(['disconnect', 'reconnect']));
    expect(events.subscriber).toEqual(expect.arrayContaining(['disconnect', 'reconnect']));
    expect([pubTransport.connected, subTransport.connected]).toEqual([true, true]);
  });
});
