/**
 * The optional OpenTelemetry hook: a PRODUCER span per publish and a CONSUMER span per handled
 * message (continuing the trace the message carries), after the OpenTelemetry messaging semantic
 * conventions. The runtime never imports `@opentelemetry/api`: the user hands the module to the
 * client (`tracing: { api }`), so a client without tracing needs no OpenTelemetry at all, and
 * builds for a browser as before.
 */
import type { AddressPattern } from './address.js';
import type { DeliveryHandler, IncomingMessage, OutgoingMessage, Transport, TransportRequestOptions, TransportSubscribeOptions } from './transport.js';
import { BAGGAGE, headerValue, injectTrace, parseBaggage, traceFromHeaders, traceOf, type TraceContext } from './tracing.js';

/* The parts of `@opentelemetry/api` used here, typed structurally so the module itself fits. */
export type OtelContext = object;
export type OtelAttributes = Record<string, string | number | boolean>;
export interface OtelTraceState {
  serialize(): string;
}
export interface OtelSpanContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly isRemote?: boolean | undefined;
  readonly traceState?: OtelTraceState | undefined;
}
export interface OtelSpan {
  spanContext(): OtelSpanContext;
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error | string): void;
  end(): void;
}
export interface OtelTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: OtelAttributes }, context?: OtelContext): OtelSpan;
}
export interface OtelBaggage {
  getAllEntries(): [string, { value: string }][];
}

/** What `tracing.api` takes: the `@opentelemetry/api` module (`import * as otel from '@opentelemetry/api'`). */
export interface OpenTelemetryApi {
  readonly trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: OtelContext, span: OtelSpan): OtelContext;
    setSpanContext(context: OtelContext, spanContext: OtelSpanContext): OtelContext;
  };
  readonly context: {
    active(): OtelContext;
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: OtelContext, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F>;
  };
  readonly propagation?:
    | {
        getBaggage(context: OtelContext): OtelBaggage | undefined;
        setBaggage(context: OtelContext, baggage: OtelBaggage): OtelContext;
        createBaggage(entries?: Record<string, { value: string }>): OtelBaggage;
      }
    | undefined;
  readonly createTraceState?: ((raw?: string) => OtelTraceState) | undefined;
}

export interface TracingOptions {
  /** The `@opentelemetry/api` module; its global tracer provider and context manager are used. */
  readonly api: OpenTelemetryApi;
  /** The tracer's name (the instrumentation scope). Default `asyncapi-client`. */
  readonly tracerName?: string | undefined;
}

// The API's SpanKind and SpanStatusCode values, stable since its 1.0.
const PRODUCER = 3;
const CONSUMER = 4;
const ERROR = 2;

const cache = new WeakMap<Transport, WeakMap<TracingOptions, Transport>>();

/**
 * The transport the client's endpoints use: `transport` itself without `tracing` (no work per
 * message), else a traced view of it. One view per transport and options object, so endpoints
 * that share a group still share one transport subscription.
 */
export function tracedTransport(transport: Transport, options: { readonly tracing?: TracingOptions | undefined } | undefined): Transport {
  const tracing = options?.tracing;
  if (tracing === undefined) return transport;
  let views = cache.get(transport);
  if (!views) {
    views = new WeakMap();
    cache.set(transport, views);
  }
  let view = views.get(tracing);
  if (!view) {
    view = tracedView(transport, tracing);
    views.set(tracing, view);
  }
  return view;
}

function baggageEntries(text: string): Record<string, { value: string }> {
  const entries: Record<string, { value: string }> = {};
  for (const member of text.split(',')) {
    const pair = member.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    const raw = pair.slice(eq + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // a stray `%` stays as it was sent
    }
    entries[pair.slice(0, eq).trim()] = { value };
  }
  return entries;
}

function baggageText(baggage: OtelBaggage | undefined): string | undefined {
  const entries = baggage?.getAllEntries() ?? [];
  if (entries.length === 0) return undefined;
  return parseBaggage(entries.map(([key, entry]) => `${key}=${encodeURIComponent(entry.value)}`).join(','));
}

function failed(span: OtelSpan, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
  span.setStatus({ code: ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** A transport whose sends and deliveries run in spans; the inner one does the work. */
function tracedView(inner: Transport, tracing: TracingOptions): Transport {
  const spans = new Spans(inner, tracing);
  const request = inner.request?.bind(inner);
  const reply = inner.reply?.bind(inner);
  return {
    get cloudEvents() {
      return inner.cloudEvents;
    },
    get system() {
      return inner.system;
    },
    get carriesHeaders() {
      return inner.carriesHeaders;
    },
    publish: (address, message) => spans.produce(address, message, (m) => inner.publish(address, m)),
    subscribe: (pattern, handler, options) => inner.subscribe(pattern, (incoming) => spans.consume(pattern, incoming, handler, options), options),
    close: () => inner.close(),
    // Only what the inner transport can do: the client tells "no request/reply here" by their absence.
    ...(request && { request: (address: string, message: OutgoingMessage, options?: TransportRequestOptions) => spans.produce(address, message, (m) => request(address, m, options)) }),
    // A reply carries the request's headers; its span belongs under the handler's, not the requester's.
    ...(reply && { reply: (to: IncomingMessage, message: OutgoingMessage) => spans.produce(to.replyTo ?? to.address, message, (m) => reply(to, m), false) }),
  };
}

class Spans {
  private readonly tracer: OtelTracer;

  constructor(
    private readonly inner: Transport,
    private readonly tracing: TracingOptions,
  ) {
    this.tracer = tracing.api.trace.getTracer(tracing.tracerName ?? 'asyncapi-client');
  }

  private attributes(operation: 'send' | 'process', address: string, message: OutgoingMessage | IncomingMessage): OtelAttributes {
    const attributes: OtelAttributes = {
      'messaging.operation.type': operation,
      'messaging.operation.name': operation,
      'messaging.destination.name': address,
      'messaging.message.body.size': message.payload.byteLength,
    };
    if (this.inner.system !== undefined) attributes['messaging.system'] = this.inner.system;
    const id = headerValue(message.headers, `${(this.inner.cloudEvents?.headerPrefix ?? 'ce-').toLowerCase()}id`);
    if (id !== undefined) attributes['messaging.message.id'] = id;
    if (message.correlationId !== undefined) attributes['messaging.message.conversation_id'] = message.correlationId;
    return attributes;
  }

  /**
   * A PRODUCER span around one send, under the caller's `trace` option (read back from the
   * headers) when it gave one, else under the active span; the message carries the span on.
   */
  async produce<R>(address: string, message: OutgoingMessage, send: (message: OutgoingMessage) => Promise<R>, fromHeaders = true): Promise<R> {
    const api = this.tracing.api;
    const given = fromHeaders ? traceFromHeaders(message.headers, this.inner.cloudEvents) : undefined;
    let parent = api.context.active();
    if (given) parent = api.trace.setSpanContext(parent, this.spanContext(given));
    const span = this.tracer.startSpan(`send ${address}`, { kind: PRODUCER, attributes: this.attributes('send', address, message) }, parent);
    const own = span.spanContext();
    const baggage = given?.baggage ?? baggageText(api.propagation?.getBaggage(parent)) ?? headerValue(message.headers, BAGGAGE);
    const trace: TraceContext = {
      traceId: own.traceId,
      spanId: own.spanId,
      flags: own.traceFlags,
      ...(own.traceState === undefined ? {} : { traceState: own.traceState.serialize() || undefined }),
      ...(baggage === undefined ? {} : { baggage }),
    };
    try {
      return await send(injectTrace(message, trace, this.inner));
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /** A CONSUMER span around one delivery to the handler, continuing the trace the message carries; a rejecting handler marks it as an error. */
  async consume(pattern: AddressPattern, incoming: IncomingMessage, handler: DeliveryHandler, options: TransportSubscribeOptions | undefined): Promise<void> {
    const api = this.tracing.api;
    const trace = traceOf(incoming, this.inner.cloudEvents);
    let parent = api.context.active();
    if (trace) parent = api.trace.setSpanContext(parent, this.spanContext(trace));
    if (trace?.baggage !== undefined && api.propagation) parent = api.propagation.setBaggage(parent, api.propagation.createBaggage(baggageEntries(trace.baggage)));
    const attributes = this.attributes('process', incoming.address, incoming);
    if (pattern.template !== incoming.address) attributes['messaging.destination.template'] = pattern.template;
    if (options?.group !== undefined) attributes['messaging.consumer.group.name'] = options.group;
    const span = this.tracer.startSpan(`process ${pattern.template}`, { kind: CONSUMER, attributes }, parent);
    try {
      await api.context.with(api.trace.setSpan(parent, span), () => handler(incoming));
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private spanContext(trace: TraceContext): OtelSpanContext {
    const traceState = trace.traceState === undefined ? undefined : this.tracing.api.createTraceState?.(trace.traceState);
    return { traceId: trace.traceId, spanId: trace.spanId, traceFlags: trace.flags, isRemote: true, ...(traceState === undefined ? {} : { traceState }) };
  }
}
