/**
 * What the generated types promise, checked by the compiler (`vitest --typecheck`): options that
 * are required exactly when a channel has parameters, the fields `event()` fills, and misuse that
 * must not compile. The Qlik client is the reviewed golden; the rest is built from the runtime.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { createUserSessionsClient, userSessionBeginMessage, type userSessionEndMessage, type UserSessionBegin, type UserSessionEnd } from '../__snapshots__/user-sessions/index.js';
import { MemoryTransport } from '../../templates/runtime/memory.js';
import { channelEndpoint, defineChannel, defineMessage, messageEndpoint, type MessageContext } from '../../templates/runtime/client.js';
import { acceptAnything } from '../../templates/runtime/validation.js';

interface Order {
  readonly orderId: string;
}
const orderPlaced = defineMessage<Order>({ id: 'orderPlaced', contentType: 'application/json', payload: acceptAnything<Order>() });
const orders = defineChannel({ id: 'orders', address: 'tenants/{tenantId}/orders', parameters: { tenantId: {}, region: { enum: ['eu', 'us'] } }, messages: { orderPlaced } });
const pings = defineChannel({ id: 'pings', address: 'pings', parameters: {}, messages: { orderPlaced } });
const transport = new MemoryTransport();

describe('parameters', () => {
  it('are required exactly when the address has them, typed by their enum', () => {
    const placed = messageEndpoint(transport, orders, 'orderPlaced');
    void placed.publish({ orderId: 'o' }, { parameters: { tenantId: 't', region: 'eu' } });
    // @ts-expect-error: the address has parameters, so options are required
    void placed.publish({ orderId: 'o' });
    // @ts-expect-error: "mars" is not a region of the enum
    void placed.publish({ orderId: 'o' }, { parameters: { tenantId: 't', region: 'mars' } });
    void messageEndpoint(transport, pings, 'orderPlaced').publish({ orderId: 'o' });
  });

  it('reach the handler typed', () => {
    void messageEndpoint(transport, orders, 'orderPlaced').subscribe((payload, context) => {
      expectTypeOf(payload).toEqualTypeOf<Order>();
      expectTypeOf(context.parameters).toEqualTypeOf<{ readonly tenantId: string; readonly region: 'eu' | 'us' }>();
    });
  });
});

describe('the Qlik client', () => {
  const client = createUserSessionsClient(transport);

  it('event() needs what it cannot fill, and fills id, time, specversion and type', () => {
    const event = client.userSessionBegin.event({ source: 'com.qlik/edge-auth', tenantid: 't', data: { subject: 's' } });
    expectTypeOf(event).toEqualTypeOf<UserSessionBegin>();
    // @ts-expect-error: source is not filled by event()
    client.userSessionBegin.event({ tenantid: 't', data: { subject: 's' } });
  });

  it('handlers get their own message, and a handler map takes each message by its key', () => {
    void client.userSessionEnd.subscribe((event, context) => {
      expectTypeOf(event).toEqualTypeOf<UserSessionEnd>();
      expectTypeOf(context).toMatchTypeOf<MessageContext<unknown, unknown>>();
    });
    void client.channels.systemEventsUserSession.subscribe({
      userSessionBegin: (event) => {
        expectTypeOf(event).toEqualTypeOf<UserSessionBegin>();
      },
    });
    // @ts-expect-error: no message of the channel has this key
    void client.channels.systemEventsUserSession.subscribe({ userSessionStart: () => undefined });
  });

  it('refuses misuse at compile time', () => {
    const begin = client.userSessionBegin.event({ source: 'com.qlik/edge-auth', tenantid: 't', data: { subject: 's' } });
    // @ts-expect-error: the subject is a string
    void client.userSessionBegin.publish({ ...begin, data: { subject: 5 } });
    // @ts-expect-error: an end event needs its data
    void client.userSessionEnd.publish({ ...begin, data: undefined });
    // @ts-expect-error: the channel endpoint publishes by message key
    void channelEndpoint(transport, orders, ['orderPlaced']).publish('orderShipped', { orderId: 'o' }, { parameters: { tenantId: 't', region: 'eu' } });
    // @ts-expect-error: the routing machinery is not part of an endpoint's type
    void client.channels.systemEventsUserSession.route;
  });
});

describe('Standard Schema', () => {
  it('each message payload is a StandardSchemaV1 of its model, for any library that takes one', () => {
    expectTypeOf(userSessionBeginMessage.payload).toMatchTypeOf<StandardSchemaV1<unknown, UserSessionBegin>>();
    expectTypeOf<StandardSchemaV1.InferOutput<typeof userSessionEndMessage.payload>>().toEqualTypeOf<UserSessionEnd>();
  });
});
