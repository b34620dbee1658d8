/**
 * One transport subscription per (channel, group, pinned parameters), shared by every endpoint of
 * a client that joins that group. Two endpoints of one channel in one group (`userSessionBegin`
 * and `userSessionEnd`, both `{ group: 'audit' }`) would otherwise be two members of one queue
 * group, durable consumer or quorum queue: each would get half of the channel's messages and
 * drop its sibling's half. Here the broker sees one member, and each message goes to a handler
 * that takes it (in turns, where several endpoints handle the same message).
 */
import type { DeliveryHandler, IncomingMessage, Transport, TransportSubscribeOptions, TransportSubscription } from './transport.js';

/** One endpoint's part of a shared subscription: the messages it handles, by key. */
export interface GroupMember<R extends { readonly id: string }> {
  readonly handlers: ReadonlyMap<string, (routed: R, message: IncomingMessage) => Promise<void>>;
}

/** How the group reads a message: once, for all members. */
export interface GroupRouter<R extends { readonly id: string }> {
  /** The routed message, or undefined when it could not be read (the router has reported it). */
  readonly route: (message: IncomingMessage) => R | undefined;
  /** A message that no member of the group handles. */
  readonly unhandled: (message: IncomingMessage, routed: R) => void;
}

interface Shared {
  readonly members: Set<GroupMember<never>>;
  readonly subscription: Promise<TransportSubscription>;
}

const registry = new WeakMap<Transport, Map<string, Shared>>();

/**
 * Joins `member` to the transport subscription for `key`, opening it on first use: the first
 * member's router and redelivery settings hold for the whole group. The transport subscription
 * closes when its last member leaves.
 */
export async function joinGroup<R extends { readonly id: string }>(
  transport: Transport,
  key: string,
  member: GroupMember<R>,
  router: GroupRouter<R>,
  open: (handler: DeliveryHandler, options: TransportSubscribeOptions) => Promise<TransportSubscription>,
  options: TransportSubscribeOptions,
): Promise<TransportSubscription> {
  let groups = registry.get(transport);
  if (!groups) {
    groups = new Map();
    registry.set(transport, groups);
  }
  const table = groups;
  let shared = table.get(key);
  if (!shared) {
    const members = new Set<GroupMember<R>>();
    // Members that handle the same message share it in turns, as a group's members do on the broker.
    const turns = new Map<string, number>();
    const dispatch: DeliveryHandler = async (message) => {
      const routed = router.route(message);
      if (!routed) return;
      const takers = [...members].flatMap((m) => m.handlers.get(routed.id) ?? []);
      const turn = turns.get(routed.id) ?? 0;
      turns.set(routed.id, turn + 1);
      const handler = takers[turn % Math.max(takers.length, 1)];
      if (handler) return handler(routed, message);
      router.unhandled(message, routed);
    };
    const created: Shared = { members: members as Set<GroupMember<never>>, subscription: open(dispatch, options) };
    shared = created;
    table.set(key, created);
    // A subscription that fails to open leaves no entry behind, so the next subscribe tries again.
    created.subscription.catch(() => {
      if (table.get(key) === created) table.delete(key);
    });
  }
  const current = shared;
  const joined = member as unknown as GroupMember<never>;
  current.members.add(joined);
  let subscription: TransportSubscription;
  try {
    subscription = await current.subscription;
  } catch (error) {
    current.members.delete(joined);
    throw error;
  }
  let closed = false;
  return {
    async close() {
      if (closed) return;
      closed = true;
      current.members.delete(joined);
      if (current.members.size > 0) return;
      if (table.get(key) === current) table.delete(key);
      await subscription.close();
    },
  };
}
