/**
 * A consumer for a test to kill: subscribes with the Kafka adapter in a group and prints
 * `handled N` as each handler resolves (before its commit), 30 ms per record, until killed.
 *
 *   node --import tsx test/support/kafka-mock-consumer.ts BROKERS TOPIC GROUP
 */
import { addressPattern } from '../../templates/runtime/address.js';
import { connectKafka } from '../../templates/runtime/kafka.js';

const [brokers = '', topic = '', group = ''] = process.argv.slice(2);
// fromBeginning: the records are there before this group first joins.
const transport = await connectKafka({ brokers: brokers.split(','), clientId: 'kafka-killed', fromBeginning: true, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, maxWaitTimeMs: 100 });
await transport.subscribe(
  addressPattern(topic),
  async (message) => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    const { n } = JSON.parse(new TextDecoder().decode(message.payload)) as { n: number };
    process.stdout.write(`handled ${n}\n`);
  },
  { group },
);
