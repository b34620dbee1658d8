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
import { DecodeError, PayloadTooLargeError, UnknownMessageError, ValidationError, tooLarge, type ReceiveError, type ValidationIssue } from './errors.js';
import type { IncomingMessage, OutgoingMessage, Transport, TransportRequestOptions, TransportSubscription, WireHeaders } from './transport.js';
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
  readonly id: string;
  readonly payload: unknown;
  readonly headers: unknown;
}

/** Sends and receives the messages of one channel; `ids` limits which of them it publishes and handles. */
export class ChannelEndpoint<M extends MessageMap, P extends ParameterValuesShape> {
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
      throw new Error(`this endpoint of channel "${this.channel.id}" does not publish "${id}"; it publishes ${this.ids.map((i) => `"${i}"`).join(', ')}`);
    }
    const { address, message } = this.encode(id, payload, options);
    await this.transport.publish(address, message);
  }

  /** Validation and encoding of an outgoing message, shared by publish, request and reply. */
  encode(id: string, payload: unknown, options: unknown): { readonly address: string; readonly message: OutgoingMessage } {
    const message = this.message(id);
    const value = this.withDiscriminator(id, payload);
    const checked = message.payload(value);
    if (!checked.ok) throw new ValidationError(id, 'payload', 'publish', withValues(checked.issues, value, message.sensitive?.payload));
    const opts = (options ?? {}) as { readonly headers?: unknown; readonly parameters?: ParameterValuesShape | undefined };
    let headers: unknown = opts.headers;
    if (message.headers) {
      const headerCheck = message.headers(isRecord(headers) ? { ...headers } : headers ?? {});
      if (!headerCheck.ok) throw new ValidationError(id, 'headers', 'publish', withValues(headerCheck.issues, headers, message.sensitive?.headers, HEADERS));
      headers = headerCheck.value;
    }
    const parameters = opts.parameters ?? {};
    const badParameters = parameterIssues(this.channel.parameters, parameters);
    if (badParameters.length > 0) throw new ValidationError(id, 'parameters', 'publish', withValues(badParameters, parameters));
    const address = fillAddress(this.channel.address, parameters);
    const outgoing = this.wire(message, value, encodeHeaders(isRecord(headers) ? headers : undefined));
    const limit = payloadLimit(this.options.maxPayloadBytes);
    if (outgoing.payload.byteLength > limit) throw new PayloadTooLargeError(id, outgoing.payload.byteLength, limit);
    return { address, message: outgoing };
  }

  /** The message as bytes: JSON, or a CloudEvent in the content mode the client chose. */
  private wire(message: AnyMessage, value: unknown, wireHeaders: WireHeaders): OutgoingMessage {
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

  /** Receives the channel's messages, each routed to its handler; messages without a handler are acknowledged. */
  async subscribe(handlers: Handlers<M, P>, options: SubscribeOptions<P> = {}): Promise<Subscription> {
    const pinned: Readonly<Record<string, string | undefined>> = options.parameters ?? {};
    const pattern = addressPattern(this.channel.address, pinned);
    const onError = options.onError ?? this.options.onError ?? defaultOnError;
    const limit = payloadLimit(options.maxPayloadBytes ?? this.options.maxPayloadBytes);
    // Each handler takes its own message's types; the route below only pairs it with that message.
    const table = handlers as unknown as Readonly<Record<string, Handler<unknown, unknown, ParameterValuesShape> | undefined>>;
    return this.transport.subscribe(
      pattern,
      async (incoming) => {
        const parameters = pattern.match(incoming.address);
        if (!parameters) return; // the adapter's wildcard was wider than the address
        let routed: Routed | undefined;
        try {
          routed = this.route(incoming, parameters, limit);
        } catch (error) {
          if (!isReceiveError(error)) throw error;
          onError(error, incoming);
          return;
        }
        const handler = routed && (this.ids as readonly string[]).includes(routed.id) ? table[routed.id] : undefined;
        if (!routed || !handler) return; // another endpoint's message: acknowledged, not ours to judge
        await handler(routed.payload, {
          messageId: routed.id,
          address: incoming.address,
          parameters,
          headers: routed.headers,
          deliveryAttempt: incoming.deliveryAttempt,
          raw: incoming,
        });
      },
      { group: options.group, maxDeliveries: options.maxDeliveries, onDeadLetter: options.onDeadLetter },
    );
  }

  private message(id: string): AnyMessage {
    const message = Object.hasOwn(this.channel.messages, id) ? this.channel.messages[id] : undefined;
    if (!message) throw new Error(`channel "${this.channel.id}" has no message "${id}"`);
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
  route(incoming: IncomingMessage, parameters: Readonly<Record<string, string>>, maxPayloadBytes = payloadLimit(this.options.maxPayloadBytes)): Routed | undefined {
    // Checked before decoding, so an oversized message costs no parsing.
    const size = incoming.payload.byteLength;
    if (size > maxPayloadBytes) throw new DecodeError(incoming.address, tooLarge(size, maxPayloadBytes));
    const { data, headers: wireHeaders } = this.decode(incoming);
    // Until a message is known, a field secret in any of the channel's messages is secret here.
    const sensitive = this.channelSensitive();
    const ids = Object.keys(this.channel.messages);
    const badParameters = parameterIssues(this.channel.parameters, parameters);
    if (badParameters.length > 0) throw new ValidationError(ids[0] ?? this.channel.id, 'parameters', 'receive', withValues(badParameters, parameters));
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
      if (!candidates.some((id) => (this.ids as readonly string[]).includes(id))) return undefined;
    }
    const failures: Array<{ messageId: string; issues: readonly ValidationIssue[] }> = [];
    for (const id of candidates) {
      const message = this.message(id);
      const checked = message.payload(data);
      if (!checked.ok) {
        failures.push({ messageId: id, issues: withValues(checked.issues, data, sensitive.payload) });
        continue;
      }
      let headers: unknown = wireHeaders;
      if (message.headers) {
        const headerCheck = message.headers({ ...wireHeaders });
        if (!headerCheck.ok) throw new ValidationError(id, 'headers', 'receive', withValues(headerCheck.issues, wireHeaders, sensitive.headers, HEADERS));
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
  constructor(private readonly endpoint: ChannelEndpoint<MessageMap, P>, private readonly id: string) {}

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
    private readonly channelEndpoint: ChannelEndpoint<MessageMap, P>,
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
  return new CloudEventEndpoint(new ChannelEndpoint(transport, channel, [id], options), id);
}

export function channelEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string = keyof M & string>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  ids: readonly K[],
  options?: ClientOptions,
): ChannelEndpoint<Pick<M, K>, ParameterValues<Q>> {
  return new ChannelEndpoint(transport, channel, ids, options);
}

export function messageEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  id: K,
  options?: ClientOptions,
): MessageEndpoint<PayloadOf<M[K]>, HeadersOf<M[K]>, ParameterValues<Q>> {
  return new MessageEndpoint(new ChannelEndpoint(transport, channel, [id], options), id);
}

export interface RequestOptions {
  readonly timeoutMs?: number | undefined;
}

/** A message that expects a reply: `request` on the asking side, `respond` on the answering side. */
export class RequestEndpoint<T, H, P extends ParameterValuesShape, R> extends MessageEndpoint<T, H, P> {
  constructor(
    private readonly transport: Transport,
    private readonly requests: ChannelEndpoint<MessageMap, P>,
    private readonly requestId: string,
    private readonly replies: ChannelEndpoint<MessageMap, ParameterValuesShape>,
  ) {
    super(requests, requestId);
  }

  /** Sends the request and resolves with the validated reply. */
  async request(payload: T, ...[options]: OptionsArgument<PublishOptions<H, P> & RequestOptions>): Promise<R> {
    if (!this.transport.request) throw new Error('this transport does not support request/reply');
    const { address, message } = this.requests.encode(this.requestId, payload, options);
    const timeout: TransportRequestOptions = { timeoutMs: (options as RequestOptions | undefined)?.timeoutMs };
    const reply = await this.transport.request(address, message, timeout);
    const routed = this.replies.route(reply, {});
    if (!routed) throw new UnknownMessageError(reply.address, 'the reply is none of the messages this operation expects');
    return routed.payload as R;
  }

  /**
   * Answers each request with what the handler returns, validated against the reply messages.
   * The request's headers travel back with the reply, so correlation ids need no extra code.
   */
  respond(handler: (payload: T, context: MessageContext<H, P>) => R | Promise<R>, options?: SubscribeOptions<P>): Promise<Subscription> {
    return this.subscribe(async (payload, context) => {
      const answer = await handler(payload, context);
      if (!this.transport.reply) throw new Error('this transport does not support request/reply');
      const { message } = this.replies.encode(this.replies.pick(answer), answer, { headers: { ...context.raw.headers } });
      await this.transport.reply(context.raw, message);
    }, options);
  }
}

export function requestEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string, RM extends MessageMap, RQ extends ParameterMap, RK extends keyof RM & string>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  id: K,
  replyChannel: ChannelDefinition<RM, RQ>,
  replyIds: readonly RK[],
  options?: ClientOptions,
): RequestEndpoint<PayloadOf<M[K]>, HeadersOf<M[K]>, ParameterValues<Q>, PayloadOf<RM[RK]>> {
  return new RequestEndpoint(transport, new ChannelEndpoint(transport, channel, [id], options), id, new ChannelEndpoint(transport, replyChannel, replyIds, options));
}
