/**
 * W3C Trace Context (`traceparent`, `tracestate`) and W3C Baggage in message headers, on every
 * transport: NATS and Kafka headers, MQTT 5 user properties, AMQP headers, HTTP headers. A binary
 * CloudEvent also carries the CloudEvents distributed-tracing extension (`ce-traceparent`,
 * `ce_traceparent`, `cloudEvents_traceparent`) with the same value, as that extension asks for a
 * single hop. Nothing here runs unless a trace is given on publish, a tracer is configured
 * (tracing-otel.ts), or a handler asks for the trace it received.
 */
import { isStructuredContentType } from './cloudevents.js';
import type { CloudEventsBinding, IncomingMessage, OutgoingMessage, Transport, WireHeaders } from './transport.js';

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';
export const BAGGAGE = 'baggage';

/** A position in a distributed trace, as it travels between services. */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  readonly traceId: string;
  /** The sending span (W3C `parent-id`): 16 lowercase hex digits, not all zero. */
  readonly spanId: string;
  /** The trace flags; bit 0 (`1`) means sampled. */
  readonly flags: number;
  /** The `tracestate` header as received, when it was valid. */
  readonly traceState?: string | undefined;
  /** The `baggage` header as received, when it was valid. */
  readonly baggage?: string | undefined;
}

/** What `publish` takes as `trace`: a context (from `traceOf`, `childTrace`, `newTrace`) or a `traceparent` header value. */
export type TraceInput = TraceContext | string;

const TRACEPARENT_FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * A `traceparent` value as the W3C spec reads it, or undefined when it is invalid (and must be
 * ignored): version `ff`, wrong lengths, uppercase or non-hex digits, an all-zero trace or
 * parent id. A version above `00` is read by its first four fields, as the spec asks, provided
 * anything after them starts with `-`; version `00` has nothing after them.
 */
export function parseTraceparent(value: string | undefined): Pick<TraceContext, 'traceId' | 'spanId' | 'flags'> | undefined {
  if (value === undefined) return undefined;
  const m = TRACEPARENT_FORMAT.exec(value.trim());
  if (m === null) return undefined;
  const [, version, traceId = '', spanId = '', flags = '', rest] = m;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

/** The `traceparent` value of a context, always version `00`. */
export function formatTraceparent(trace: Pick<TraceContext, 'traceId' | 'spanId' | 'flags'>): string {
  return `00-${trace.traceId}-${trace.spanId}-${(trace.flags & 0xff).toString(16).padStart(2, '0')}`;
}

const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
const STATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** A `tracestate` value with its whitespace tidied, or undefined when the spec says to drop it (bad member, duplicate key, over 32 members). */
export function parseTracestate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const raw of value.split(',')) {
    const member = raw.trim();
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    if (!(SIMPLE_KEY.test(key) || TENANT_KEY.test(key)) || !STATE_VALUE.test(member.slice(eq + 1)) || keys.has(key)) return undefined;
    keys.add(key);
    members.push(member);
  }
  if (members.length === 0 || members.length > 32) return undefined;
  return members.join(',');
}

const BAGGAGE_KEY = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAGGAGE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** A `baggage` value, or undefined when it breaks the W3C Baggage format or its limits (64 members, 8192 bytes). */
export function parseBaggage(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '' || text.length > 8192) return undefined;
  const members = text.split(',');
  if (members.length > 64) return undefined;
  for (const member of members) {
    const [pair = '', ...properties] = member.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0 || !BAGGAGE_KEY.test(pair.slice(0, eq).trim()) || !BAGGAGE_VALUE.test(pair.slice(eq + 1).trim())) return undefined;
    for (const property of properties) if (!BAGGAGE_KEY.test((property.split('=')[0] ?? '').trim())) return undefined;
  }
  return text;
}

/** A header by name whatever its case (HTTP lowers it; NATS, AMQP and Kafka keep it). */
export function headerValue(headers: WireHeaders, name: string): string | undefined {
  const exact = headers[name];
  if (exact !== undefined) return exact;
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

const TRACE_HEADERS = new Set([TRACEPARENT, TRACESTATE, BAGGAGE]);

/**
 * The headers without the trace context (`traceparent`, `tracestate`, `baggage`, any case), or
 * undefined when they carry none. Instrumented peers add these to every message, so a headers
 * schema that does not name them (`additionalProperties: false`) is checked without them.
 */
export function withoutTraceHeaders(headers: WireHeaders): Record<string, string> | undefined {
  let found = false;
  const rest: Record<string, string> = {};
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (TRACE_HEADERS.has(key.toLowerCase())) found = true;
    else if (value !== undefined) rest[key] = value;
  }
  return found ? rest : undefined;
}

/**
 * The trace a message carries: the `traceparent` header (with `tracestate` and `baggage`), or,
 * without it, a binary CloudEvent's distributed-tracing extension attribute. Undefined when there
 * is none or it is invalid: a bad header never stops the message, it is only ignored.
 */
export function traceOf(message: IncomingMessage | { readonly raw: IncomingMessage }, binding?: CloudEventsBinding): TraceContext | undefined {
  return traceFromHeaders(('raw' in message ? message.raw : message).headers, binding);
}

/** `traceOf` over headers alone: the publish side reads a caller's trace with it. */
export function traceFromHeaders(headers: WireHeaders, binding?: CloudEventsBinding): TraceContext | undefined {
  let prefix = '';
  let parent = headerValue(headers, TRACEPARENT);
  if (parent === undefined) {
    for (const p of binding === undefined ? ['ce-', 'ce_', 'cloudevents_', 'cloudevents:'] : [binding.headerPrefix, ...(binding.receivePrefixes ?? [])]) {
      parent = p === '' ? undefined : headerValue(headers, `${p.toLowerCase()}${TRACEPARENT}`);
      if (parent !== undefined) {
        prefix = p.toLowerCase();
        break;
      }
    }
  }
  const ids = parseTraceparent(parent);
  if (!ids) return undefined;
  const traceState = parseTracestate(headerValue(headers, `${prefix}${TRACESTATE}`));
  const baggage = prefix === '' ? parseBaggage(headerValue(headers, BAGGAGE)) : undefined;
  return { ...ids, ...(traceState === undefined ? {} : { traceState }), ...(baggage === undefined ? {} : { baggage }) };
}

function randomHex(bytes: number): string {
  const values = globalThis.crypto.getRandomValues(new Uint8Array(bytes));
  let out = '';
  for (const b of values) out += b.toString(16).padStart(2, '0');
  // All zero is invalid; its odds are 2^-64 at worst, but it costs one comparison.
  return /^0+$/.test(out) ? randomHex(bytes) : out;
}

/** A new trace, sampled: for a publisher that starts one without OpenTelemetry. */
export function newTrace(): TraceContext {
  return { traceId: randomHex(16), spanId: randomHex(8), flags: 1 };
}

/** A span of the same trace under `parent` (a new span id, the same flags, state and baggage): how a handler continues a trace by hand. */
export function childTrace(parent: TraceContext): TraceContext {
  return { ...parent, spanId: randomHex(8) };
}

/** A trace given as a context or a `traceparent` string, validated; undefined when it is not valid. */
export function toTraceContext(trace: TraceInput): TraceContext | undefined {
  if (typeof trace === 'string') return parseTraceparent(trace);
  const ids = parseTraceparent(formatTraceparent(trace));
  if (!ids) return undefined;
  const traceState = parseTracestate(trace.traceState);
  const baggage = parseBaggage(trace.baggage);
  return { ...ids, ...(traceState === undefined ? {} : { traceState }), ...(baggage === undefined ? {} : { baggage }) };
}

/** Whether a transport can carry headers at all (MQTT 3.1.1 cannot, and refuses a message that has any). */
export function carriesHeaders(transport: Transport): boolean {
  return transport.carriesHeaders !== false;
}

/**
 * The message with the trace's headers added. A binary CloudEvent without the extension gets it
 * too, with the transport's attribute prefix; one that has it keeps it (it names where the trace
 * began). Over a transport without headers the message goes as it is.
 */
export function injectTrace(message: OutgoingMessage, trace: TraceContext, transport: Transport): OutgoingMessage {
  if (!carriesHeaders(transport)) return message;
  const headers: Record<string, string> = { ...message.headers, [TRACEPARENT]: formatTraceparent(trace) };
  if (trace.traceState !== undefined) headers[TRACESTATE] = trace.traceState;
  else delete headers[TRACESTATE];
  if (trace.baggage !== undefined) headers[BAGGAGE] = trace.baggage;
  const prefix = transport.cloudEvents?.headerPrefix ?? 'ce-';
  if (prefix !== '' && !isStructuredContentType(message.contentType) && headers[`${prefix}specversion`] !== undefined && headers[`${prefix}${TRACEPARENT}`] === undefined) {
    headers[`${prefix}${TRACEPARENT}`] = headers[TRACEPARENT] as string;
    if (trace.traceState !== undefined) headers[`${prefix}${TRACESTATE}`] = trace.traceState;
  }
  return { ...message, headers };
}

/**
 * The publish hook: adds the `trace` a caller passed in the publish options. Without one the
 * message is returned as it is, so untraced publishing does no work here. An invalid trace is
 * dropped (the message still goes), as the W3C spec does with a bad header.
 */
export function withTraceOption(message: OutgoingMessage, options: unknown, transport: Transport): OutgoingMessage {
  const given = (options as { readonly trace?: TraceInput | undefined } | undefined)?.trace;
  if (given === undefined) return message;
  const trace = toTraceContext(given);
  return trace === undefined ? message : injectTrace(message, trace, transport);
}
