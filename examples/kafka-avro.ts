/**
 * Kafka with Avro in the Confluent wire format: the spec's server names a schema registry and its
 * message an Avro payload, so records travel as magic byte 0, the schema id, then Avro binary; the
 * client validates the same JSON values as for any other message.
 * Needs a broker and a schema registry (Confluent's, Redpanda's, Karapace, Apicurio's ccompat API):
 * KAFKA_BROKERS=127.0.0.1:9092 SCHEMA_REGISTRY_URL=http://127.0.0.1:8081 npx tsx examples/kafka-avro.ts
 * (the tests run it on librdkafka's mock cluster with a Confluent-compatible registry on loopback)
 */
import { avroChannels, schemaRegistryUrl } from '../generated/orders-avro/avro.js';
import { createOrdersClient, type ComExampleOrdersOrderPlaced } from '../generated/orders-avro/index.js';
import { confluentAvro } from '../generated/orders-avro/runtime/avro.js';
import { connectKafka } from '../generated/orders-avro/runtime/kafka.js';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
// autoRegister: the first publish registers the spec's schema under "orders.eu-value" (TopicNameStrategy).
const registry = { url: process.env['SCHEMA_REGISTRY_URL'] ?? schemaRegistryUrl, autoRegister: true };
const transport = await connectKafka({ brokers, clientId: 'orders-example', valueCodec: confluentAvro({ registry, channels: avroChannels }) });
const client = createOrdersClient(transport);

let resolve: (order: ComExampleOrdersOrderPlaced) => void = () => undefined;
const received = new Promise<ComExampleOrdersOrderPlaced>((r) => (resolve = r));
await client.onOrderPlaced.subscribe(async (order) => resolve(order), { group: 'orders-example', parameters: { region: 'eu' } });
await client.placeOrder.publish(
  { id: 'o-1', quantity: 3, price: 19.99, placedAt: Date.now(), note: null, tags: ['express'], attributes: {}, checksum: '\u0000\u00ff', status: 'PAID' },
  { parameters: { region: 'eu' } },
);
const order = await received;
console.log(`received order ${order.id} (${order.quantity} at ${order.price}, ${order.status}) as Avro over Kafka`);
await transport.close();
