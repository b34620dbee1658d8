/**
 * The endpoints a generated client hands out: one message, a CloudEvent, a request with its reply,
 * an operation that carries no message, and the factories generated code calls.
 */
import type { CloudEventFilled, CloudEventInit } from './cloudevents.js';
import { fillCloudEvent } from './cloudevents.js';
import { ChannelCore, type ChannelEndpoint, type ChannelRequestEndpoint } from './channel.js';
import {
  ANY_ADDRESS,
  NO_MESSAGE,
  withoutMessages,
  type ChannelDefinition,
  type ClientOptions,
  type Handler,
  type Handlers,
  type HeadersOf,
  type MessageContext,
  type MessageMap,
  type OptionsArgument,
  type ParameterMap,
  type ParameterValues,
  type ParameterValuesShape,
  type PayloadOf,
  type PublishOptions,
  type RequestOptions,
  type Responders,
  type SignalHandler,
  type SubscribeOptions,
  type Subscription,
} from './definitions.js';
import { UnknownMessageError, UnsupportedError } from './errors.js';
import { tracedTransport } from './tracing-otel.js';
import type { IncomingMessage, OutgoingMessage, Transport, WireHeaders } from './transport.js';

/** One message of a channel: what most code uses. */
export class MessageEndpoint<T, H, P extends ParameterValuesShape> {
  constructor(
    private readonly endpoint: ChannelCore<MessageMap, P>,
    private readonly id: string,
  ) {}

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
  return new CloudEventEndpoint(new ChannelCore(tracedTransport(transport, options), channel, [id], options), id);
}

export function channelEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string = keyof M & string>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  ids: readonly K[],
  options?: ClientOptions,
): ChannelEndpoint<Pick<M, K>, ParameterValues<Q>> {
  return new ChannelCore(tracedTransport(transport, options), channel, ids, options);
}

export function messageEndpoint<M extends MessageMap, Q extends ParameterMap, K extends keyof M & string>(
  transport: Transport,
  channel: ChannelDefinition<M, Q>,
  id: K,
  options?: ClientOptions,
): MessageEndpoint<PayloadOf<M[K]>, HeadersOf<M[K]>, ParameterValues<Q>> {
  return new MessageEndpoint(new ChannelCore(tracedTransport(transport, options), channel, [id], options), id);
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
  const endpoint =
    ids.length === 0
      ? new ChannelCore<MessageMap, ParameterValuesShape>(tracedTransport(transport, options), withoutMessages(channel ?? ANY_ADDRESS, `${name} reply`), [NO_MESSAGE], options)
      : new ChannelCore<MessageMap, ParameterValuesShape>(tracedTransport(transport, options), channel ?? ANY_ADDRESS, ids, options);
  return new Replies<R>(tracedTransport(transport, options), endpoint);
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
// biome-ignore lint/suspicious/noConfusingVoidType: a reply without messages resolves with nothing, and `void` lets `respond` handlers return nothing
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
  return new RequestEndpoint(new ChannelCore(tracedTransport(transport, options), channel, [id], options), id, replies);
}

export function signalEndpoint<Q extends ParameterMap>(
  transport: Transport,
  channel: ChannelDefinition<MessageMap, Q>,
  name: string,
  options?: ClientOptions,
): SignalEndpoint<WireHeaders, ParameterValues<Q>> {
  return new SignalEndpoint(new ChannelCore(tracedTransport(transport, options), withoutMessages(channel, name), [NO_MESSAGE], options));
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
  return new SignalRequestEndpoint(new ChannelCore(tracedTransport(transport, options), withoutMessages(channel, name), [NO_MESSAGE], options), replies);
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
  return new ChannelRequestCore(tracedTransport(transport, options), channel, ids, replies, options);
}
