/**
 * What generated code declares and users type against: message and channel definitions, and the
 * types of payloads, headers, parameters, handlers and options derived from them.
 */
import type { CloudEventDefinition, CloudEventsMode } from './cloudevents.js';
import type { ReceiveError } from './errors.js';
import type { TracingOptions } from './tracing-otel.js';
import type { TraceInput } from './tracing.js';
import type { IncomingMessage, TransportSubscription, WireHeaders } from './transport.js';
import { acceptAnything, type Check, type SensitiveLocations } from './validation.js';

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
export const NO_MESSAGE = '';

/** A channel whose only message is the empty stand-in, named after the operation for reports. */
export function withoutMessages(channel: ChannelDefinition<MessageMap, ParameterMap>, name: string): ChannelDefinition<MessageMap, ParameterMap> {
  const empty: AnyMessage = { id: name, contentType: '', payload: acceptAnything<unknown>(), empty: true };
  return { id: channel.id, address: channel.address, parameters: channel.parameters, messages: { [NO_MESSAGE]: empty } };
}

/** Where a reply channel is not named (the reply gives only an address): replies are matched by nothing but arrival. */
export const ANY_ADDRESS: ChannelDefinition<MessageMap, ParameterMap> = { id: 'reply', address: 'reply', parameters: {}, messages: {} };

export function defineMessage<T, H = WireHeaders>(definition: MessageDefinition<T, H>): MessageDefinition<T, H> {
  return definition;
}

export function defineChannel<M extends MessageMap, const Q extends ParameterMap>(definition: ChannelDefinition<M, Q>): ChannelDefinition<M, Q> {
  return definition;
}

export type PayloadOf<D> = D extends MessageDefinition<infer T, unknown> ? T : never;
export type HeadersOf<D> = D extends MessageDefinition<unknown, infer H> ? H : never;
export type ParameterValues<Q> = { readonly [K in keyof Q]: Q[K] extends { readonly enum: readonly (infer E extends string)[] } ? E : string };
/** The parameters of a channel as typed values (`{ tenantId: string }`). */
export type ParametersOf<C> = C extends ChannelDefinition<MessageMap, infer Q> ? ParameterValues<Q> : never;
export type NoParameters = Record<never, never>;
/** What every channel's parameters type is: names to string values. */
export type ParameterValuesShape = { readonly [name: string]: string };

type HeadersOption<H> = {} extends H ? { readonly headers?: H | undefined } : { readonly headers: H };
type ParametersOption<P> = keyof P extends never ? { readonly parameters?: undefined } : { readonly parameters: P };
/** A trace to continue (`traceOf(context)` of a received message, `childTrace`, a `traceparent` string); sent as W3C Trace Context headers. */
type TraceOption = { readonly trace?: TraceInput | undefined };
export type PublishOptions<H, P> = HeadersOption<H> & ParametersOption<P> & TraceOption;
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
  /**
   * OpenTelemetry spans: `{ api }` with the `@opentelemetry/api` module gives a PRODUCER span per
   * publish and a CONSUMER span per handled message, the trace carried in W3C Trace Context
   * headers. Without it nothing is traced, and nothing of OpenTelemetry is loaded.
   */
  readonly tracing?: TracingOptions | undefined;
}

/** The NATS server's default `max_payload`: brokers commonly refuse more. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;

export interface RequestOptions {
  readonly timeoutMs?: number | undefined;
}

/** Reply handlers of a channel's messages, one per message key. */
export type Responders<M extends MessageMap, P, R> = { readonly [K in keyof M]?: (payload: PayloadOf<M[K]>, context: MessageContext<HeadersOf<M[K]>, P>) => R | Promise<R> };
