/**
 * The typed client machinery behind every generated endpoint: validation on both sides, JSON
 * encoding, address parameters, and routing of a channel's messages to their handlers.
 */
import { addressPattern, fillAddress } from './address.js';
import {
  DEFAULT_BINDING,
  STRUCTURED_CONTENT_TYPE,
  fillCloudEvent,
  fromBinary,
  isBinaryCloudEvent,
  toBinary,
  type CloudEventDefinition,
  type CloudEventFilled,
  type CloudEventInit,
  type CloudEventsMode,
} from './cloudevents.js';
import { decodeJson, encodeHeaders, encodeJson, isJsonContentType } from './codec.js';
import { DecodeError, PayloadTooLargeError, UnhandledMessageError, UnknownMessageError, UnsupportedError, UsageError, ValidationError, tooLarge, type ReceiveError, type ValidationIssue } from './errors.js';
import { joinGroup, type GroupRouter } from './groups.js';
import type { IncomingMessage, OutgoingMessage, Transport, TransportSubscription, WireHeaders } from './transport.js';
import { preview, withValues, type Check, type SensitiveLocations } from './validation.js';

export interface MessageDefinition<T, H> {
  /** The message's key in the spec (`userSessionBegin`). */
  readonly id: string;
  /** The message's `name` in the spec, if it has one. */
  readonly name?: string | undefined;
  readonly contentType: string;
  readonly payload: Check<T>;
  /** Absent when the spec gives no headers schema: headers then pass through as strings. */
  readonly headers?: Check<H> | undefined;
  /** Present when the payload is a CloudEvent: it may travel in binary content mode. */
  readonly cloudEvent?: CloudEventDefinition | undefined;
  /** Where the payload and headers hold secrets: errors and logs show them as `[redacted]`. */
  readonly sensitive?: SensitiveLocations | undefined;
  /** The stand-in of an operation that carries no message: an empty payload, never decoded. */
  readonly empty?: true | undefined;
}

export type AnyMessage = MessageDefinition<unknown, unknown>;
export type MessageMap = { readonly [id: string]: AnyMessage };

export interface ParameterDefinition {
  readonly enum?: readonly string[] | undefined;
}
export type ParameterMap = { readonly [name: string]: ParameterDefinition };

export interface ChannelDefinition<M extends MessageMap, Q extends ParameterMap> {
  readonly id: string;
  /** Address template with `{parameter}` placeholders. */
  readonly address: string;
  readonly parameters: Q;
  readonly messages: M;
  /** The payload property whose value says which message arrived, and that value per message. */
  readonly discriminator?: { readonly property: string; readonly values: { readonly [K in keyof M]: unknown } } | undefined;
}

/** The key of the stand-in message of an operation (or reply) that carries no message. */
const NO_MESSAGE = '';

/** A channel whose only message is the empty stand-in, named after the operation for reports. */
function withoutMessages(channel: ChannelDefinition<MessageMap, ParameterMap>, name: string): ChannelDefinition<MessageMap, ParameterMap> {
  const empty: AnyMessage = { id: name, contentType: '', payload: (value) => ({ ok: true, value }), empty: true };
  return { id: channel.id, address: channel.address, parameters: channel.parameters, messages: { [NO_MESSAGE]: empty } };
}

/** Where a reply channel is not named (the reply gives only an address): replies are matched by nothing but arrival. */
const ANY_ADDRESS: ChannelDefinition<MessageMap, ParameterMap> = { id: 'reply', address: 'reply', parameters: {}, messages: {} };

export function defineMessage<T, H = WireHeaders>(definition: MessageDefinition<T, H>): MessageDefinition<T, H> {
  return definition;
}

export function defineChannel<M extends MessageMap, const Q extends ParameterMap>(definition: ChannelDefinition<M, Q>): ChannelDefinition<M, Q> {
  return definition;
}

export type PayloadOf<D> = D extends MessageDefinition<infer T, unknown> ? T : never;
export type HeadersOf<D> = D extends MessageDefinition<unknown, infer H> ? H : never;
type ParameterValues<Q> = { readonly [K in keyof Q]: Q[K] extends { readonly enum: readonly (infer E extends string)[] } ? E : string };
/** The parameters of a channel as typed values (`{ tenantId: string }`). */
export type ParametersOf<C> = C extends ChannelDefinition<MessageMap, infer Q> ? ParameterValues<Q> : never;
export type NoParameters = Record<never, never>;
/** What every channel's parameters type is: names to string values. */
export type ParameterValuesShape = { readonly [name: string]: string };

type HeadersOption<H> = {} extends H ? { readonly headers?: H | undefined } : { readonly headers: H };
type ParametersOption<P> = keyof P extends never ? { readonly parameters?: undefined } : { readonly parameters: P };
export type PublishOptions<H, P> = HeadersOption<H> & ParametersOption<P>;
/** The options argument is optional exactly when nothing in it is required. */
export type OptionsArgument<O> = {} extends O ? [options?: O] : [options: O];

export interface MessageContext<H, P> {
  readonly messageId: string;
  /** The concrete address the message arrived on. */
  readonly address: string;
  readonly parameters: P;
  /** Validated headers (or the raw string headers when the spec has no headers schema). */
  readonly headers: H;
  readonly deliveryAttempt: number;
  readonly raw: IncomingMessage;
}

/** Resolve to acknowledge. Throw (or reject) to have the message redelivered where the broker can. */
export type Handler<T, H, P> = (payload: T, context: MessageContext<H, P>) => void | Promise<void>;

/** The handler of an operation that carries no message: there is no payload, only the context. */
export type SignalHandler<H, P> = (context: MessageContext<H, P>) => void | Promise<void>;

export type Handlers<M extends MessageMap, P> = { readonly [K in keyof M]?: Handler<PayloadOf<M[K]>, HeadersOf<M[K]>, P> };

export interface SubscribeOptions<P> {
  /** Fix some parameters instead of receiving all values (they become literals in the subscription). */
  readonly parameters?: Partial<P> | undefined;
  /** Share the messages among the members of a group (queue group, shared subscription, consumer group). */
  readonly group?: string | undefined;
  /** Deliveries of a message whose handler throws, before it is dead-lettered. */
  readonly maxDeliveries?: number | undefined;
  /** Messages that fail to decode, validate or route land here; the subscription goes on. */
  readonly onError?: ((error: ReceiveError, message: IncomingMessage) => void) | undefined;
  /** A message whose handler kept failing. */
  readonly onDeadLetter?: ((message: IncomingMessage, error: unknown) => void) | undefined;
  /** Overrides the client's `maxPayloadBytes` for this subscription's incoming messages. */
  readonly maxPayloadBytes?: number | undefined;
}

export type Subscription = TransportSubscription;

export interface ClientOptions {
  /** Default error callback for every subscription of the client. */
  readonly onError?: ((error: ReceiveError, message: IncomingMessage) => void) | undefined;
  /**
   * How CloudEvent messages are published: `structured` (default; the whole event as
   * `application/cloudevents+json`) or `binary` (attributes as headers, per the transport's
   * CloudEvents binding). Subscribers accept both.
   */
  readonly cloudEvents?: { readonly mode?: CloudEventsMode | undefined } | undefined;
  /**
   * The largest payload, in bytes, the client sends or accepts. Default 1 MiB (1,048,576 bytes,
   * the NATS server's default `max_payload`); `Infinity` turns the check off. A bigger outgoing
   * payload is refused with a PayloadTooLargeError before it reaches the transport; a bigger
   * incoming one reaches `onError` as a DecodeError before it is decoded, and is acknowledged
   * and dropped like any message that cannot be read. Subscriptions may set their own.
   */
  readonly maxPayloadBytes?: number | undefined;
}

/** The NATS server's default `max_payload`: brokers commonly refuse more. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;

function payloadLimit(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_PAYLOAD_BYTES;
  if (typeof value !== 'number' || !(value > 0)) throw new RangeError(`maxPayloadBytes must be a positive number of bytes, or Infinity for no limit (got ${String(value)})`);
  return value;
}

/** Header names are matched whatever their case: some transports lower-case them. */
const HEADERS = { ignoreCase: true } as const;

function defaultOnError(error: ReceiveError): void {
  console.error(`[asyncapi client] ${error.message}`);
}

function isReceiveError(error: unknown): error is ReceiveError {
  return error instanceof ValidationError || error instanceof DecodeError || error instanceof UnknownMessageError;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Discriminator values are nearly always strings: only objects and arrays need a deep look.
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function parameterIssues(parameters: ParameterMap, values: Readonly<Record<string, unknown>>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [name, definition] of Object.entries(parameters)) {
    const value = values[name];
    if (definition.enum && value !== undefined && !definition.enum.includes(String(value))) {
      issues.push({ pointer: `/${escapePointer(name)}`, keyword: 'enum', message: `must be one of ${definition.enum.map((e) => JSON.stringify(e)).join(', ')}` });
    }
  }
  return issues;
}

export interface Routed {
  /** The message's key in the channel definition. */
  readonly id: string;
  readonly payload: unknown;
  readonly headers: unknown;
}

interface Delivery extends Routed {
  readonly parameters: Readonly<Record<string, string>>;
}

/** What a channel endpoint offers: publish one of its messages, subscribe with a handler per message. */
export interface ChannelEndpoint<M extends MessageMap, P extends ParameterValuesShape> {
  /** Validates, encodes and sends one message; rejects with a ValidationError naming the field. */
  publish<K extends keyof M & string>(id: K, payload: PayloadOf<M[K]>, ...[options]: OptionsArgument<PublishOptions<HeadersOf<M[K]>, P>>): Promise<void>;
  /** Receives the channel's messages, each routed to its handler (see ChannelCore.subscribe). */
  subscribe(handlers: Handlers<M, P>, options?: SubscribeOptions<P>): Promise<Subscription>;
}

/** A channel endpoint whose messages expect a reply: `request(id, payload)` and one responder per message. */
export interface ChannelRequestEndpoint<M extends MessageMap, P extends ParameterValuesShape, R> extends ChannelEndpoint<M, P> {
  request<K extends keyof M & string>(id: K, payload: PayloadOf<M[K]>, ...[options]: OptionsArgument<PublishOptions<HeadersOf<M[K]>, P> & RequestOptions>): Promise<R>;
  respond(responders: Responders<M, P, R>, options?: SubscribeOptions<P>): Promise<Subscription>;
}

/**
 * The machinery behind every endpoint of one channel: validation, encoding, routing. Generated
 * clients hand out the endpoint types (ChannelEndpoint, MessageEndpoint, …), not this class, so
 * its helpers stay out of users' way. `ids` limits which messages it publishes and handles.
 */
export class ChannelCore<M extends MessageMap, P extends ParameterValuesShape> {
  /** The channel's CloudEvent attributes, worked out on first receive; null when it has no CloudEvent message. */
  private cloudEvents: CloudEventDefinition | null | undefined;
  private sensitive: { readonly payload: readonly string[]; readonly headers: readonly string[] } | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly channel: ChannelDefinition<MessageMap, ParameterMap>,
    private readonly ids: readonly (keyof M & string)[],
    private readonly options: ClientOptions = {},
  ) {}

  /** Validates, encodes and sends one message; rejects with a ValidationError naming the field. */
  async publish<K extends keyof M & string>(id: K, payload: PayloadOf<M[K]>, ...[options]: OptionsArgument<PublishOptions<HeadersOf<M[K]>, P>>): Promise<void> {
    if (!(this.ids as readonly string[]).includes(id)) {
      this.message(id); // a message the channel does not have at all is named as such first
      throw new UsageError(`this endpoint of channel "${this.channel.id}" does not publish "${id}"; it publishes ${this.ids.map((i) => `"${i}"`).join(', ')}`);
    }
    const { address, message } = this.encode(id, payload, options);
    await this.transport.publish(address, message);
  }

  /** Validation and encoding of an outgoing message and its address, shared by publish and request. */
  encode(id: string, payload: unknown, options: unknown): { readonly address: string; readonly message: OutgoingMessage } {
    const message = this.message(id);
    const opts = (options ?? {}) as { readonly parameters?: ParameterValuesShape | undefined };
    const parameters = opts.parameters ?? {};
    const badParameters = parameterIssues(this.channel.parameters, parameters);
    if (badParameters.length > 0) throw new ValidationError(message.id, 'parameters', 'publish', withValues(badParameters, parameters));
    const outgoing = this.encodeMessage(id, payload, options);
    return { address: fillAddress(this.channel.address, parameters), message: outgoing };
  }

  /** Validation and encoding of an outgoing message without its address: a reply goes where the request says. */
  encodeMessage(id: string, payload: unknown, options: unknown): OutgoingMessage {
    const message = this.message(id);
    const value = message.empty ? undefined : this.withDiscriminator(id, payload);
    if (!message.empty) {
      const checked = message.payload(value);
      if (!checked.ok) throw new ValidationError(message.id, 'payload', 'publish', withValues(checked.issues, value, message.sensitive?.payload));
    }
    let headers: unknown = (options as { readonly headers?: unknown } | undefined)?.headers;
    if (message.headers) {
      const headerCheck = message.headers(isRecord(headers) ? { ...headers } : headers ?? {});
      if (!headerCheck.ok) throw new ValidationError(message.id, 'headers', 'publish', withValues(headerCheck.issues, headers, message.sensitive?.headers, HEADERS));
      headers = headerCheck.value;
    }
    const outgoing = this.wire(message, value, encodeHeaders(isRecord(headers) ? headers : undefined));
    const limit = payloadLimit(this.options.maxPayloadBytes);
    if (outgoing.payload.byteLength > limit) throw new PayloadTooLargeError(message.id, outgoing.payload.byteLength, limit);
    return outgoing;
  }

  /** The message as bytes: JSON, a CloudEvent in the content mode the client chose, or nothing at all. */
  private wire(message: AnyMessage, value: unknown, wireHeaders: WireHeaders): OutgoingMessage {
    if (message.empty) return { payload: new Uint8Array(0), headers: wireHeaders };
    if (message.cloudEvent && isRecord(value)) {
      const binding = this.transport.cloudEvents ?? DEFAULT_BINDING;
      if (this.options.cloudEvents?.mode === 'binary' && binding.binary) {
        const binary = toBinary(value, binding);
        return { payload: binary.payload, headers: { ...wireHeaders, ...binary.headers }, contentType: binary.contentType };
      }
      return { payload: encodeJson(value), headers: wireHeaders, contentType: STRUCTURED_CONTENT_TYPE };
    }
    return { payload: encodeJson(value), headers: wireHeaders, contentType: message.contentType };
  }

  /** The definition of one of the channel's messages. */
  definition(id: string): AnyMessage {
    return this.message(id);
  }

  /** The first of `ids` whose schema accepts `payload` (replies carry no message name). */
  pick(payload: unknown): string {
    const d = this.channel.discriminator;
    const found = this.ids.find((id) => (d && isRecord(payload) && payload[d.property] !== undefined ? sameValue(d.values[id], payload[d.property]) : this.message(id).payload(payload).ok));
    return found ?? this.ids[0] ?? '';
  }

  /**
   * Receives the channel's messages, each routed to its handler. Without a group, every
   * subscription gets each message, and one without a handler for it acknowledges it. Within a
   * group, all endpoints of the client share one transport subscription, and a message that no
   * handler of the group takes goes to `onError` before it is acknowledged.
   */
  async subscribe(handlers: Handlers<M, P>, options: SubscribeOptions<P> = {}): Promise<Subscription> {
    const pinned: Readonly<Record<string, string | undefined>> = options.parameters ?? {};
    const pattern = addressPattern(this.channel.address, pinned);
    const onError = options.onError ?? this.options.onError ?? defaultOnError;
    const limit = payloadLimit(options.maxPayloadBytes ?? this.options.maxPayloadBytes);
    const group = options.group;
    // Each handler takes its own message's types; the route below only pairs it with that message.
    const table = handlers as unknown as Readonly<Record<string, Handler<unknown, unknown, ParameterValuesShape> | undefined>>;
    const own = new Map<string, (routed: Delivery, incoming: IncomingMessage) => Promise<void>>();
    for (const id of this.ids) {
      const handler = Object.hasOwn(table, id) ? table[id] : undefined;
      if (!handler) continue;
      const messageId = this.message(id).id;
      own.set(id, async (routed, incoming) => {
        await handler(routed.payload, { messageId, address: incoming.address, parameters: routed.parameters, headers: routed.headers, deliveryAttempt: incoming.deliveryAttempt, raw: incoming });
      });
    }
    const router: GroupRouter<Delivery> = {
      route: (incoming) => {
        const parameters = pattern.match(incoming.address);
        if (!parameters) return undefined; // the adapter's wildcard was wider than the address
        try {
          // A group member routes for the whole group: every message of the channel is read.
          const routed = this.route(incoming, parameters, limit, group === undefined ? this.ids : null);
          return routed && { ...routed, parameters };
        } catch (error) {
          if (!isReceiveError(error)) throw error;
          incoming.refuse?.(error); // a webhook answers 4xx instead of 2xx
          onError(error, incoming);
          return undefined;
        }
      },
      unhandled: (incoming, routed) => {
        const error = new UnhandledMessageError(incoming.address, this.message(routed.id).id, group ?? '');
        incoming.refuse?.(error);
        onError(error, incoming);
      },
    };
    const transportOptions = { group, maxDeliveries: options.maxDeliveries, onDeadLetter: options.onDeadLetter };
    if (group === undefined) {
      return this.transport.subscribe(
        pattern,
        async (incoming) => {
          const routed = router.route(incoming);
          const handler = routed && own.get(routed.id);
          // Another endpoint's message: every subscription outside a group gets its own copy.
          if (routed && handler) await handler(routed, incoming);
          // Where the sender waits for a verdict (webhooks), it hears that nothing here took it.
          else incoming.refuse?.(new UnhandledMessageError(incoming.address, routed && this.message(routed.id).id, ''));
        },
        transportOptions,
      );
    }
    const key = JSON.stringify([this.channel.id, group, Object.entries(pinned).filter(([, v]) => v !== undefined).sort(), this.ids.includes(NO_MESSAGE as keyof M & string)]);
    return joinGroup(this.transport, key, { handlers: own }, router, (dispatch, opts) => this.transport.subscribe(pattern, dispatch, opts), transportOptions);
  }

  private message(id: string): AnyMessage {
    const message = Object.hasOwn(this.channel.messages, id) ? this.channel.messages[id] : undefined;
    if (!message) throw new UsageError(`channel "${this.channel.id}" has no message "${id}"`);
    return message;
  }

  /** Fills a missing discriminator and refuses a wrong one, so receivers route the message right. */
  private withDiscriminator(id: string, payload: unknown): unknown {
    const d = this.channel.discriminator;
    if (!d || !isRecord(payload)) return payload;
    const expected = d.values[id];
    const actual = payload[d.property];
    if (actual === undefined) return { ...payload, [d.property]: expected };
    if (!sameValue(actual, expected)) {
      const pointer = `/${escapePointer(d.property)}`;
      throw new ValidationError(id, 'payload', 'publish', [
        { pointer, keyword: 'const', message: `must be ${JSON.stringify(expected)} for message "${id}" (receivers route on it)`, value: preview(payload, pointer, this.message(id).sensitive?.payload) },
      ]);
    }
    return payload;
  }

  /**
   * Decodes, routes and validates an incoming message; throws a ReceiveError when it cannot.
   * Undefined when the discriminator names a message of the channel this endpoint does not handle.
   */
  route(
    incoming: IncomingMessage,
    parameters: Readonly<Record<string, string>>,
    maxPayloadBytes = payloadLimit(this.options.maxPayloadBytes),
    /** The message keys to read; null for all of the channel's (a group routes for all its members). */
    wanted: readonly string[] | null = this.ids,
  ): Routed | undefined {
    // Checked before decoding, so an oversized message costs no parsing.
    const size = incoming.payload.byteLength;
    if (size > maxPayloadBytes) throw new DecodeError(incoming.address, tooLarge(size, maxPayloadBytes));
    const stand = Object.hasOwn(this.channel.messages, NO_MESSAGE) ? this.channel.messages[NO_MESSAGE] : undefined;
    if (stand?.empty) {
      const badParameters = parameterIssues(this.channel.parameters, parameters);
      if (badParameters.length > 0) throw new ValidationError(stand.id, 'parameters', 'receive', withValues(badParameters, parameters));
      return { id: NO_MESSAGE, payload: undefined, headers: incoming.headers };
    }
    const { data, headers: wireHeaders } = this.decode(incoming);
    // Until a message is known, a field secret in any of the channel's messages is secret here.
    const sensitive = this.channelSensitive();
    const ids = Object.keys(this.channel.messages);
    const badParameters = parameterIssues(this.channel.parameters, parameters);
    if (badParameters.length > 0) throw new ValidationError(this.channel.id, 'parameters', 'receive', withValues(badParameters, parameters));
    const d = this.channel.discriminator;
    let candidates = ids;
    if (d) {
      const actual = isRecord(data) ? data[d.property] : undefined;
      candidates = ids.filter((id) => sameValue(d.values[id], actual));
      if (candidates.length === 0) {
        const expected = ids.map((id) => JSON.stringify(d.values[id])).join(', ');
        const got = actual === undefined ? 'missing' : preview(data, `/${escapePointer(d.property)}`, sensitive.payload);
        throw new UnknownMessageError(incoming.address, `"${d.property}" is ${got}; expected one of ${expected}`);
      }
      if (wanted && !candidates.some((id) => wanted.includes(id))) return undefined;
    }
    const failures: Array<{ messageId: string; issues: readonly ValidationIssue[] }> = [];
    for (const id of candidates) {
      const message = this.message(id);
      const checked = message.payload(data);
      if (!checked.ok) {
        failures.push({ messageId: message.id, issues: withValues(checked.issues, data, sensitive.payload) });
        continue;
      }
      let headers: unknown = wireHeaders;
      if (message.headers) {
        const headerCheck = message.headers({ ...wireHeaders });
        if (!headerCheck.ok) throw new ValidationError(message.id, 'headers', 'receive', withValues(headerCheck.issues, wireHeaders, sensitive.headers, HEADERS));
        headers = headerCheck.value;
      }
      return { id, payload: checked.value, headers };
    }
    const only = failures.length === 1 ? failures[0] : undefined;
    if (only) throw new ValidationError(only.messageId, 'payload', 'receive', only.issues);
    throw new UnknownMessageError(incoming.address, 'the payload fails the schema of every message', failures);
  }

  /** The payload as a value: a binary-mode CloudEvent rebuilt from its headers, anything else parsed as JSON. */
  private decode(incoming: IncomingMessage): { readonly data: unknown; readonly headers: WireHeaders } {
    const cloudEvent = this.cloudEventDefinition();
    const binding = this.transport.cloudEvents ?? DEFAULT_BINDING;
    if (cloudEvent && isBinaryCloudEvent(incoming, binding)) {
      const { event, headers } = fromBinary(incoming, cloudEvent, binding);
      return { data: event, headers };
    }
    if (incoming.contentType !== undefined && incoming.contentType !== '' && !isJsonContentType(incoming.contentType)) {
      throw new DecodeError(incoming.address, `content type "${incoming.contentType}" is not JSON`);
    }
    return { data: decodeJson(incoming.address, incoming.payload), headers: incoming.headers };
  }

  /** The secret locations of every message of the channel together, worked out once. */
  private channelSensitive(): { readonly payload: readonly string[]; readonly headers: readonly string[] } {
    if (this.sensitive === undefined) {
      const all = Object.values(this.channel.messages).map((m) => m.sensitive ?? {});
      this.sensitive = { payload: all.flatMap((s) => s.payload ?? []), headers: all.flatMap((s) => s.headers ?? []) };
    }
    return this.sensitive;
  }

  /** The attributes of every CloudEvent message of the channel together, worked out once. */
  private cloudEventDefinition(): CloudEventDefinition | undefined {
    if (this.cloudEvents === undefined) {
      const all = Object.values(this.channel.messages).flatMap((m) => (m.cloudEvent ? [m.cloudEvent] : []));
      this.cloudEvents = all.length === 0 ? null : { attributes: Object.assign({}, ...all.map((d) => d.attributes)) as CloudEventDefinition['attributes'] };
    }
    return this.cloudEvents ?? undefined;
  }
}

/** One message of a channel: what most code uses. */
export class MessageEndpoint<T, H, P extends ParameterValuesShape> {
  constructor(private readonly endpoint: ChannelCore<MessageMap, P>, private readonly id: string) {}

  publish(payload: T, ...options: OptionsArgument<PublishOptions<H, P>>): Promise<void> {
    const endpoint = this.endpoint as unknown as { publish(id: string, payload: unknown, ...rest: unknown[]): Promise<void> };
    return endpoint.publish(this.id, payload, ...options);
  }

  subscribe(handler: Handler<T, H, P>, options?: SubscribeOptions<P>): Promise<Subscription> {
    const handlers: Record<string, Handler<T, H, P>> = { [this.id]: handler };
    return this.endpoint.subscribe(handlers as Handlers<MessageMap, P>, options);
  }
}

/** A message whose payload is a CloudEvent: `event()` fills the envelope, `emit()` fills and publishes. */
export class CloudEventEndpoint<T, H, P extends ParameterValuesShape, F extends PropertyKey = CloudEventFilled> extends MessageEndpoint<T, H, P> {
  constructor(
    private readonly channelEndpoint: ChannelCore<MessageMap, P>,
    private readonly messageId: string,
  ) {
    super(channelEndpoint, messageId);
  }

  /** The event with `id` (a UUID), `time` (now), `specversion` and `type` filled where not given. */
  event(init: CloudEventInit<T, F>): T {
    const definition = this.channelEndpoint.definition(this.messageId).cloudEvent ?? { attributes: {} };
    return fillCloudEvent(definition, init) as T;
  }

  /** Fills the envelope, then validates and publishes. */
  emit(init: CloudEventInit<T, F>, ...options: OptionsArgument<PublishOptions<H, P>>): Promise<void> {
    return this.publish(this.event(init), ...options);
  }
}

export function cloudEventEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string, F extends PropertyKey = CloudEventFilled>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  id: K,
  options?: ClientOptions,
): CloudEventEndpoint<PayloadOf<M[K]>, HeadersOf<M[K]>, ParameterValues<Q>, F> {
  return new CloudEventEndpoint(new ChannelCore(transport, channel, [id], options), id);
}

export function channelEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string = keyof M & string>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  ids: readonly K[],
  options?: ClientOptions,
): ChannelEndpoint<Pick<M, K>, ParameterValues<Q>> {
  return new ChannelCore(transport, channel, ids, options);
}

export function messageEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  id: K,
  options?: ClientOptions,
): MessageEndpoint<PayloadOf<M[K]>, HeadersOf<M[K]>, ParameterValues<Q>> {
  return new MessageEndpoint(new ChannelCore(transport, channel, [id], options), id);
}

export interface RequestOptions {
  readonly timeoutMs?: number | undefined;
}

/** The reply side of an operation: what `request` resolves with and what `respond` sends back. */
class Replies<R> {
  constructor(
    private readonly transport: Transport,
    private readonly endpoint: ChannelCore<MessageMap, ParameterValuesShape>,
  ) {}

  async request(address: string, message: OutgoingMessage, options: RequestOptions | undefined): Promise<R> {
    if (!this.transport.request) throw new UnsupportedError('this transport does not support request/reply');
    const reply = await this.transport.request(address, message, { timeoutMs: options?.timeoutMs });
    const routed = this.endpoint.route(reply, {});
    if (!routed) throw new UnknownMessageError(reply.address, 'the reply is none of the messages this operation expects');
    return routed.payload as R;
  }

  /** Validates the answer against the reply messages and sends it with the request's headers, so correlation ids carry over. */
  async send(answer: unknown, raw: IncomingMessage): Promise<void> {
    if (!this.transport.reply) throw new UnsupportedError('this transport does not support request/reply');
    const message = this.endpoint.encodeMessage(this.endpoint.pick(answer), answer, { headers: { ...raw.headers } });
    await this.transport.reply(raw, message);
  }
}

function repliesOf<R>(transport: Transport, channel: ChannelDefinition<MessageMap, ParameterMap> | undefined, ids: readonly string[], name: string, options: ClientOptions | undefined): Replies<R> {
  const endpoint = ids.length === 0
    ? new ChannelCore<MessageMap, ParameterValuesShape>(transport, withoutMessages(channel ?? ANY_ADDRESS, `${name} reply`), [NO_MESSAGE], options)
    : new ChannelCore<MessageMap, ParameterValuesShape>(transport, channel ?? ANY_ADDRESS, ids, options);
  return new Replies<R>(transport, endpoint);
}

/** A message that expects a reply: `request` on the asking side, `respond` on the answering side. */
export class RequestEndpoint<T, H, P extends ParameterValuesShape, R> extends MessageEndpoint<T, H, P> {
  constructor(
    private readonly requests: ChannelCore<MessageMap, P>,
    private readonly requestId: string,
    private readonly replies: Replies<R>,
  ) {
    super(requests, requestId);
  }

  /** Sends the request and resolves with the validated reply. */
  async request(payload: T, ...[options]: OptionsArgument<PublishOptions<H, P> & RequestOptions>): Promise<R> {
    const { address, message } = this.requests.encode(this.requestId, payload, options);
    return this.replies.request(address, message, options as RequestOptions | undefined);
  }

  /**
   * Answers each request with what the handler returns, validated against the reply messages.
   * The request's headers travel back with the reply, so correlation ids need no extra code.
   */
  respond(handler: (payload: T, context: MessageContext<H, P>) => R | Promise<R>, options?: SubscribeOptions<P>): Promise<Subscription> {
    return this.subscribe(async (payload, context) => this.replies.send(await handler(payload, context), context.raw), options);
  }
}

/** An operation that carries no message (an HTTP-style call, a ping): it sends an empty payload, and its handler gets only the context. */
export class SignalEndpoint<H, P extends ParameterValuesShape> {
  constructor(protected readonly endpoint: ChannelCore<MessageMap, P>) {}

  publish(...options: OptionsArgument<PublishOptions<H, P>>): Promise<void> {
    const endpoint = this.endpoint as unknown as { publish(id: string, payload: unknown, ...rest: unknown[]): Promise<void> };
    return endpoint.publish(NO_MESSAGE, undefined, ...options);
  }

  subscribe(handler: SignalHandler<H, P>, options?: SubscribeOptions<P>): Promise<Subscription> {
    const handlers: Record<string, Handler<unknown, H, P>> = { [NO_MESSAGE]: (_payload, context) => handler(context) };
    return this.endpoint.subscribe(handlers as Handlers<MessageMap, P>, options);
  }
}

/** A request that carries no message, such as an HTTP-style GET: `request()` takes only options. */
export class SignalRequestEndpoint<H, P extends ParameterValuesShape, R> extends SignalEndpoint<H, P> {
  constructor(
    endpoint: ChannelCore<MessageMap, P>,
    private readonly replies: Replies<R>,
  ) {
    super(endpoint);
  }

  async request(...[options]: OptionsArgument<PublishOptions<H, P> & RequestOptions>): Promise<R> {
    const { address, message } = this.endpoint.encode(NO_MESSAGE, undefined, options);
    return this.replies.request(address, message, options as RequestOptions | undefined);
  }

  respond(handler: (context: MessageContext<H, P>) => R | Promise<R>, options?: SubscribeOptions<P>): Promise<Subscription> {
    return this.subscribe(async (context) => this.replies.send(await handler(context), context.raw), options);
  }
}

/** Reply handlers of a channel's messages, one per message key. */
export type Responders<M extends MessageMap, P, R> = { readonly [K in keyof M]?: (payload: PayloadOf<M[K]>, context: MessageContext<HeadersOf<M[K]>, P>) => R | Promise<R> };

/** An operation that may send any of several messages and expects a reply to each. */
class ChannelRequestCore<M extends MessageMap, P extends ParameterValuesShape, R> extends ChannelCore<M, P> {
  constructor(
    transport: Transport,
    channel: ChannelDefinition<MessageMap, ParameterMap>,
    ids: readonly (keyof M & string)[],
    private readonly replies: Replies<R>,
    options?: ClientOptions,
  ) {
    super(transport, channel, ids, options);
  }

  async request<K extends keyof M & string>(id: K, payload: PayloadOf<M[K]>, ...[options]: OptionsArgument<PublishOptions<HeadersOf<M[K]>, P> & RequestOptions>): Promise<R> {
    const { address, message } = this.encode(id, payload, options);
    return this.replies.request(address, message, options as RequestOptions | undefined);
  }

  respond(responders: Responders<M, P, R>, options?: SubscribeOptions<P>): Promise<Subscription> {
    const table = responders as unknown as Readonly<Record<string, ((payload: unknown, context: MessageContext<unknown, P>) => unknown) | undefined>>;
    const handlers: Record<string, Handler<unknown, unknown, P>> = {};
    for (const [id, responder] of Object.entries(table)) {
      if (responder) handlers[id] = async (payload, context) => this.replies.send(await responder(payload, context), context.raw);
    }
    return this.subscribe(handlers as Handlers<M, P>, options);
  }
}

type ReplyChannel = ChannelDefinition<MessageMap, ParameterMap> | undefined;
type ReplyPayload<RM extends MessageMap, RK extends keyof RM & string> = [RK] extends [never] ? void : PayloadOf<RM[RK]>;

export function requestEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string, RM extends MessageMap = MessageMap, RK extends keyof RM & string = never>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  id: K,
  replyChannel: ChannelDefinition<RM, ParameterMap> | undefined,
  replyIds: readonly RK[],
  options?: ClientOptions,
): RequestEndpoint<PayloadOf<M[K]>, HeadersOf<M[K]>, ParameterValues<Q>, ReplyPayload<RM, RK>> {
  const replies = repliesOf<ReplyPayload<RM, RK>>(transport, replyChannel as ReplyChannel, replyIds, id, options);
  return new RequestEndpoint(new ChannelCore(transport, channel, [id], options), id, replies);
}

export function signalEndpoint<Q extends ParameterMap>(transport: Transport, channel: ChannelDefinition<MessageMap, Q>, name: string, options?: ClientOptions): SignalEndpoint<WireHeaders, ParameterValues<Q>> {
  return new SignalEndpoint(new ChannelCore(transport, withoutMessages(channel, name), [NO_MESSAGE], options));
}

export function signalRequestEndpoint<Q extends ParameterMap, RM extends MessageMap = MessageMap, RK extends keyof RM & string = never>(
  transport: Transport,
  channel: ChannelDefinition<MessageMap, Q>,
  name: string,
  replyChannel: ChannelDefinition<RM, ParameterMap> | undefined,
  replyIds: readonly RK[],
  options?: ClientOptions,
): SignalRequestEndpoint<WireHeaders, ParameterValues<Q>, ReplyPayload<RM, RK>> {
  const replies = repliesOf<ReplyPayload<RM, RK>>(transport, replyChannel as ReplyChannel, replyIds, name, options);
  return new SignalRequestEndpoint(new ChannelCore(transport, withoutMessages(channel, name), [NO_MESSAGE], options), replies);
}

export function channelRequestEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string, RM extends MessageMap = MessageMap, RK extends keyof RM & string = never>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  ids: readonly K[],
  name: string,
  replyChannel: ChannelDefinition<RM, ParameterMap> | undefined,
  replyIds: readonly RK[],
  options?: ClientOptions,
): ChannelRequestEndpoint<Pick<M, K>, ParameterValues<Q>, ReplyPayload<RM, RK>> {
  const replies = repliesOf<ReplyPayload<RM, RK>>(transport, replyChannel as ReplyChannel, replyIds, name, options);
  return new ChannelRequestCore(transport, channel, ids, replies, options);
}
