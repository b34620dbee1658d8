/**
 * The machinery of one channel behind every generated endpoint: validation on both sides, JSON
 * and CloudEvents encoding, address parameters, and routing of a channel's messages to handlers.
 */
import { addressPattern, fillAddress } from './address.js';
import { DEFAULT_BINDING, STRUCTURED_CONTENT_TYPE, fromBinary, isBinaryCloudEvent, toBinary, type CloudEventDefinition } from './cloudevents.js';
import { decodeJson, encodeHeaders, encodeJson, isJsonContentType } from './codec.js';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  NO_MESSAGE,
  type AnyMessage,
  type ChannelDefinition,
  type ClientOptions,
  type Handler,
  type Handlers,
  type HeadersOf,
  type MessageMap,
  type OptionsArgument,
  type ParameterMap,
  type ParameterValuesShape,
  type PayloadOf,
  type PublishOptions,
  type RequestOptions,
  type Responders,
  type SubscribeOptions,
  type Subscription,
} from './definitions.js';
import { DecodeError, PayloadTooLargeError, UnhandledMessageError, UnknownMessageError, UsageError, ValidationError, tooLarge, type ReceiveError, type ValidationIssue } from './errors.js';
import { joinGroup, type GroupRouter } from './groups.js';
import { withTraceOption, withoutTraceHeaders } from './tracing.js';
import { HANDLED as DONE, type IncomingMessage, type OutgoingMessage, type Transport, type WireHeaders } from './transport.js';
import { escapePointer, preview, quickTest, withValues, type Check, type CheckResult } from './validation.js';

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

/**
 * A check's verdict on a value, through its plain test where it has one: on the hot path a pass
 * builds no result object, and the check itself runs only to say what failed.
 */
function run<T>(check: Check<T>, test: ((value: unknown) => boolean) | undefined, value: unknown): CheckResult<T> | undefined {
  if (test === undefined) return check(value);
  return test(value) ? undefined : check(value);
}

/** Undefined when the value passed unchanged (see run). */
function failed<T>(result: CheckResult<T> | undefined): result is { readonly ok: false; readonly issues: readonly ValidationIssue[] } {
  return result !== undefined && !result.ok;
}

function passed<T>(result: CheckResult<T> | undefined, value: unknown): unknown {
  return result === undefined ? value : (result as { readonly value: T }).value;
}

/** What sending and receiving one message of the channel takes, worked out once per message. */
interface MessagePlan {
  readonly message: AnyMessage;
  readonly payloadTest: ((value: unknown) => boolean) | undefined;
  readonly headersTest: ((value: unknown) => boolean) | undefined;
}

/** What receiving on the channel takes, worked out on the first message. */
interface ReceivePlan {
  /** Every message key of the channel, in the definition's order. */
  readonly ids: readonly string[];
  /** The stand-in of an operation without a message, when that is all the channel carries. */
  readonly stand: AnyMessage | undefined;
  /** Message keys by a primitive discriminator value, so routing needs no scan of every message. */
  readonly byValue: ReadonlyMap<unknown, readonly string[]> | undefined;
  readonly cloudEvent: CloudEventDefinition | undefined;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
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

/** No parameters given: one shared object, never handed to user code. */
const NO_VALUES: Readonly<Record<string, string>> = Object.freeze({});

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
  private readonly plans = new Map<string, MessagePlan>();
  private receiving: ReceivePlan | undefined;
  /** Whether the channel declares parameters: only then are values checked on every message. */
  private readonly parameterized: boolean;

  constructor(
    private readonly transport: Transport,
    private readonly channel: ChannelDefinition<MessageMap, ParameterMap>,
    private readonly ids: readonly (keyof M & string)[],
    private readonly options: ClientOptions = {},
  ) {
    this.parameterized = Object.keys(channel.parameters).length > 0;
  }

  /**
   * Validates, encodes and sends one message; rejects with a ValidationError naming the field.
   * Not `async`: the transport's own promise is the answer, so a publish costs no second promise.
   */
  publish<K extends keyof M & string>(id: K, payload: PayloadOf<M[K]>, ...[options]: OptionsArgument<PublishOptions<HeadersOf<M[K]>, P>>): Promise<void> {
    try {
      if (!(this.ids as readonly string[]).includes(id)) {
        this.message(id); // a message the channel does not have at all is named as such first
        throw new UsageError(`this endpoint of channel "${this.channel.id}" does not publish "${id}"; it publishes ${this.ids.map((i) => `"${i}"`).join(', ')}`);
      }
      const { address, message } = this.encode(id, payload, options);
      return this.transport.publish(address, message);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Validation and encoding of an outgoing message and its address, shared by publish and request. */
  encode(id: string, payload: unknown, options: unknown): { readonly address: string; readonly message: OutgoingMessage } {
    const parameters = (options as { readonly parameters?: ParameterValuesShape | undefined } | undefined)?.parameters ?? NO_VALUES;
    if (this.parameterized) {
      const badParameters = parameterIssues(this.channel.parameters, parameters);
      if (badParameters.length > 0) throw new ValidationError(this.message(id).id, 'parameters', 'publish', withValues(badParameters, parameters));
    }
    const outgoing = this.encodeMessage(id, payload, options);
    return { address: fillAddress(this.channel.address, parameters), message: outgoing };
  }

  /** Validation and encoding of an outgoing message without its address: a reply goes where the request says. */
  encodeMessage(id: string, payload: unknown, options: unknown): OutgoingMessage {
    const plan = this.plan(id);
    const message = plan.message;
    const value = message.empty ? undefined : this.withDiscriminator(id, payload);
    if (!message.empty) {
      const checked = run(message.payload, plan.payloadTest, value);
      if (failed(checked)) throw new ValidationError(message.id, 'payload', 'publish', withValues(checked.issues, value, message.sensitive?.payload));
    }
    let headers: unknown = (options as { readonly headers?: unknown } | undefined)?.headers;
    if (message.headers) {
      const given = isRecord(headers) ? { ...headers } : (headers ?? {});
      const headerCheck = run(message.headers, plan.headersTest, given);
      if (failed(headerCheck)) throw new ValidationError(message.id, 'headers', 'publish', withValues(headerCheck.issues, headers, message.sensitive?.headers, HEADERS));
      headers = passed(headerCheck, given);
    }
    const outgoing = this.wire(message, value, encodeHeaders(isRecord(headers) ? headers : undefined));
    const limit = payloadLimit(this.options.maxPayloadBytes);
    if (outgoing.payload.byteLength > limit) throw new PayloadTooLargeError(message.id, outgoing.payload.byteLength, limit);
    return withTraceOption(outgoing, options, this.transport);
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
      // Not `async`: a handler that returns nothing costs no promise of its own; one that throws still rejects.
      own.set(id, (routed, incoming) => {
        try {
          const done = handler(routed.payload, {
            messageId,
            address: incoming.address,
            parameters: routed.parameters,
            headers: routed.headers,
            deliveryAttempt: incoming.deliveryAttempt,
            raw: incoming,
          });
          return done === undefined ? DONE : Promise.resolve(done);
        } catch (error) {
          return Promise.reject(error);
        }
      });
    }
    const wanted = group === undefined ? this.ids : null;
    const router: GroupRouter<Delivery> = {
      route: (incoming) => {
        const parameters = pattern.match(incoming.address);
        if (!parameters) return undefined; // the adapter's wildcard was wider than the address
        try {
          // A group member routes for the whole group: every message of the channel is read.
          return this.route(incoming, parameters, limit, wanted);
        } catch (error) {
          if (!isReceiveError(error)) throw error;
          const report = () => {
            incoming.refuse?.(error); // a webhook answers 4xx instead of 2xx
            onError(error, incoming);
          };
          if (incoming.unclaimed) incoming.unclaimed(report);
          else report();
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
        (incoming) => {
          try {
            const routed = router.route(incoming);
            const handler = routed && own.get(routed.id);
            // Another endpoint's message: every subscription outside a group gets its own copy.
            if (routed && handler) return handler(routed, incoming);
            // Where the sender waits for a verdict (webhooks), it hears that nothing here took it.
            incoming.refuse?.(new UnhandledMessageError(incoming.address, routed && this.message(routed.id).id, ''));
            return DONE;
          } catch (error) {
            return Promise.reject(error);
          }
        },
        transportOptions,
      );
    }
    const key = JSON.stringify([
      this.channel.id,
      group,
      Object.entries(pinned)
        .filter(([, v]) => v !== undefined)
        .sort(),
      this.ids.includes(NO_MESSAGE as keyof M & string),
    ]);
    return joinGroup(this.transport, key, { handlers: own }, router, (dispatch, opts) => this.transport.subscribe(pattern, dispatch, opts), transportOptions);
  }

  private message(id: string): AnyMessage {
    const message = Object.hasOwn(this.channel.messages, id) ? this.channel.messages[id] : undefined;
    if (!message) throw new UsageError(`channel "${this.channel.id}" has no message "${id}"`);
    return message;
  }

  /** The message with its checks' plain tests, looked up once per message rather than per send. */
  private plan(id: string): MessagePlan {
    let plan = this.plans.get(id);
    if (plan === undefined) {
      const message = this.message(id);
      plan = { message, payloadTest: quickTest(message.payload), headersTest: message.headers && quickTest(message.headers as Check<unknown>) };
      this.plans.set(id, plan);
    }
    return plan;
  }

  /** The channel's messages as routing needs them, worked out on the first message received. */
  private receivePlan(): ReceivePlan {
    if (this.receiving === undefined) {
      const messages = this.channel.messages;
      const ids = Object.keys(messages);
      const d = this.channel.discriminator;
      let byValue: Map<unknown, string[]> | undefined;
      if (d && ids.every((id) => isPrimitive(d.values[id]))) {
        byValue = new Map();
        for (const id of ids) byValue.set(d.values[id], [...(byValue.get(d.values[id]) ?? []), id]);
      }
      const stand = Object.hasOwn(messages, NO_MESSAGE) ? messages[NO_MESSAGE] : undefined;
      this.receiving = { ids, stand: stand?.empty ? stand : undefined, byValue, cloudEvent: this.cloudEventDefinition() };
    }
    return this.receiving;
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
        {
          pointer,
          keyword: 'const',
          message: `must be ${JSON.stringify(expected)} for message "${id}" (receivers route on it)`,
          value: preview(payload, pointer, this.message(id).sensitive?.payload),
        },
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
  ): Delivery | undefined {
    // Checked before decoding, so an oversized message costs no parsing.
    const size = incoming.payload.byteLength;
    if (size > maxPayloadBytes) throw new DecodeError(incoming.address, tooLarge(size, maxPayloadBytes));
    const plan = this.receivePlan();
    if (plan.stand) {
      const badParameters = this.parameterized ? parameterIssues(this.channel.parameters, parameters) : [];
      if (badParameters.length > 0) throw new ValidationError(plan.stand.id, 'parameters', 'receive', withValues(badParameters, parameters));
      return { id: NO_MESSAGE, payload: undefined, headers: incoming.headers, parameters };
    }
    // The payload as a value: a binary-mode CloudEvent rebuilt from its headers, anything else parsed as JSON.
    let data: unknown;
    let wireHeaders = incoming.headers;
    const binding = plan.cloudEvent && (this.transport.cloudEvents ?? DEFAULT_BINDING);
    if (plan.cloudEvent && binding && isBinaryCloudEvent(incoming, binding)) {
      const { event, headers } = fromBinary(incoming, plan.cloudEvent, binding);
      data = event;
      wireHeaders = headers;
    } else {
      const contentType = incoming.contentType;
      if (contentType !== undefined && contentType !== '' && !isJsonContentType(contentType)) throw new DecodeError(incoming.address, `content type "${contentType}" is not JSON`);
      data = decodeJson(incoming.address, incoming.payload);
    }
    if (this.parameterized) {
      const badParameters = parameterIssues(this.channel.parameters, parameters);
      if (badParameters.length > 0) throw new ValidationError(this.channel.id, 'parameters', 'receive', withValues(badParameters, parameters));
    }
    const ids = plan.ids;
    const d = this.channel.discriminator;
    let candidates = ids;
    if (d) {
      const actual = isRecord(data) ? data[d.property] : undefined;
      candidates = plan.byValue && isPrimitive(actual) ? (plan.byValue.get(actual) ?? []) : ids.filter((id) => sameValue(d.values[id], actual));
      if (candidates.length === 0) {
        const expected = ids.map((id) => JSON.stringify(d.values[id])).join(', ');
        // Until a message is known, a field secret in any of the channel's messages is secret here.
        const got = actual === undefined ? 'missing' : preview(data, `/${escapePointer(d.property)}`, this.channelSensitive().payload);
        throw new UnknownMessageError(incoming.address, `"${d.property}" is ${got}; expected one of ${expected}`);
      }
      if (wanted && !candidates.some((id) => wanted.includes(id))) return undefined;
    }
    let failures: Array<{ messageId: string; issues: readonly ValidationIssue[] }> | undefined;
    for (const id of candidates) {
      const { message, payloadTest, headersTest } = this.plan(id);
      const checked = run(message.payload, payloadTest, data);
      if (failed(checked)) {
        (failures ??= []).push({ messageId: message.id, issues: withValues(checked.issues, data, this.channelSensitive().payload) });
        continue;
      }
      let headers: unknown = wireHeaders;
      if (message.headers) {
        let given: Record<string, string> = { ...wireHeaders };
        let headerCheck = run(message.headers, headersTest, given);
        if (failed(headerCheck)) {
          // Trace context rides beside the spec's headers: a strict schema that does not name it is checked without it.
          const untraced = headerCheck.issues.every((i) => i.keyword === 'additionalProperties') ? withoutTraceHeaders(wireHeaders) : undefined;
          const retry = untraced === undefined ? headerCheck : run(message.headers, headersTest, untraced);
          if (untraced === undefined || failed(retry))
            throw new ValidationError(message.id, 'headers', 'receive', withValues(headerCheck.issues, wireHeaders, this.channelSensitive().headers, HEADERS));
          given = untraced;
          headerCheck = retry;
        }
        headers = passed(headerCheck, given);
      }
      return { id, payload: passed(checked, data), headers, parameters };
    }
    const only = failures?.length === 1 ? failures[0] : undefined;
    if (only) throw new ValidationError(only.messageId, 'payload', 'receive', only.issues);
    throw new UnknownMessageError(incoming.address, 'the payload fails the schema of every message', failures ?? []);
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
