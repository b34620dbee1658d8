/**
 * CloudEvents on the wire, after the CloudEvents protocol bindings: structured content mode (the
 * whole event as `application/cloudevents+json`) and binary content mode (attributes as headers
 * with the transport's prefix, `data` as the body, `datacontenttype` as the content type).
 * Subscribers accept both; publishers use the mode the client was created with.
 */
import { isJsonContentType, parseJson } from './codec.js';
import { DecodeError } from './errors.js';
import type { CloudEventsBinding, IncomingMessage, WireHeaders } from './transport.js';

export type CloudEventsMode = 'structured' | 'binary';

export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';

/** What a transport without its own binding gets: HTTP-style `ce-` headers. */
export const DEFAULT_BINDING: CloudEventsBinding = { headerPrefix: 'ce-', binary: true };

export type AttributeKind = 'string' | 'integer' | 'number' | 'boolean';

/** What the generator knows of a CloudEvent message: the type it pins and its attributes. */
export interface CloudEventDefinition {
  /** The `type` the schema pins, filled in when missing. */
  readonly type?: string | undefined;
  /** Attribute names (every top-level property but `data`) and how a header string turns back into each. */
  readonly attributes: Readonly<Record<string, AttributeKind>>;
}

/** Attributes the helpers fill: `id` (a UUID), `time` (now), `specversion` ("1.0") and `type` (the schema's). */
export type CloudEventFilled = 'id' | 'time' | 'specversion' | 'type';

/** An event with the filled attributes made optional. */
export type CloudEventInit<T, F extends PropertyKey = CloudEventFilled> = { [K in keyof T as K extends F ? never : K]: T[K] } & {
  [K in keyof T as K extends F ? K : never]?: T[K] | undefined;
};

const CORE_ATTRIBUTES = ['specversion', 'id', 'source', 'type', 'datacontenttype', 'dataschema', 'subject', 'time'];
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Fills the envelope: a fresh `id`, `time` now (when the schema has it), `specversion` 1.0 and the schema's `type`. */
export function fillCloudEvent(definition: CloudEventDefinition, init: object): Record<string, unknown> {
  const given = Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined));
  return {
    specversion: '1.0',
    id: globalThis.crypto.randomUUID(),
    ...('time' in definition.attributes ? { time: new Date().toISOString() } : {}),
    ...(definition.type !== undefined ? { type: definition.type } : {}),
    ...given,
  };
}

/** Percent-encoding of header values, as the HTTP binding requires (space, `"`, `%` and non-ASCII). */
function percentEncode(value: string): string {
  return [...encoder.encode(value)].map((b) => (b > 0x20 && b < 0x7f && b !== 0x22 && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function percentDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function attributeText(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** Binary content mode: attributes become headers, `data` the body. */
export function toBinary(
  event: Readonly<Record<string, unknown>>,
  binding: CloudEventsBinding,
): { readonly payload: Uint8Array; readonly headers: Record<string, string>; readonly contentType: string } {
  const contentType = typeof event['datacontenttype'] === 'string' ? event['datacontenttype'] : 'application/json';
  const headers: Record<string, string> = {};
  const encode = binding.headerPrefix === 'ce-';
  for (const [name, value] of Object.entries(event)) {
    if (value === undefined || name === 'data' || name === 'data_base64' || name === 'datacontenttype') continue;
    const text = attributeText(value);
    headers[`${binding.headerPrefix}${name}`] = encode ? percentEncode(text) : text;
  }
  const data = event['data'];
  const body = data === undefined ? '' : typeof data === 'string' && !isJsonContentType(contentType) ? data : JSON.stringify(data);
  return { payload: encoder.encode(body), headers, contentType };
}

function headerLookup(headers: WireHeaders, name: string): string | undefined {
  if (Object.hasOwn(headers, name)) return headers[name];
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : headers[key];
}

/**
 * Whether a content type says structured mode: every binding lets the content type decide, and
 * `application/cloudevents` (with any `+format` suffix or parameters) means the whole event is the body.
 */
export function isStructuredContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  if (contentType === STRUCTURED_CONTENT_TYPE) return true; // the common case, on every structured message
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return base === 'application/cloudevents' || base.startsWith('application/cloudevents+');
}

/** The attribute-header prefixes a receiver accepts: the binding's own first, then the ones it also reads. */
function prefixes(binding: CloudEventsBinding): readonly string[] {
  return binding.receivePrefixes === undefined ? [binding.headerPrefix] : [binding.headerPrefix, ...binding.receivePrefixes];
}

/**
 * Whether a message is a CloudEvent in binary content mode: not structured by its content type,
 * and carrying the `specversion` attribute header. A structured message may carry the attribute
 * headers too (the bindings allow it); its content type still makes it structured.
 */
export function isBinaryCloudEvent(message: IncomingMessage, binding: CloudEventsBinding): boolean {
  if (isStructuredContentType(message.contentType)) return false;
  return prefixes(binding).some((prefix) => headerLookup(message.headers, `${prefix}specversion`) !== undefined);
}

function attributeValue(text: string, kind: AttributeKind): unknown {
  if (kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (kind === 'integer' || kind === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  return text;
}

/**
 * Rebuilds the event of a binary-mode message. Headers that are not attributes stay headers
 * (with an empty prefix, as on MQTT, only the schema's attributes and the core ones are taken).
 */
export function fromBinary(
  message: IncomingMessage,
  definition: CloudEventDefinition,
  binding: CloudEventsBinding,
): { readonly event: Record<string, unknown>; readonly headers: Record<string, string> } {
  const accepted = prefixes(binding).map((p) => p.toLowerCase());
  const known = new Set([...CORE_ATTRIBUTES, ...Object.keys(definition.attributes)]);
  const event: Record<string, unknown> = {};
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(message.headers)) {
    const lower = name.toLowerCase();
    const prefix = accepted.find((p) => p !== '' && lower.startsWith(p)) ?? (accepted.includes('') && known.has(name) ? '' : undefined);
    const attribute = prefix === undefined ? undefined : prefix === '' ? name : lower.slice(prefix.length);
    if (attribute === undefined || attribute === '') {
      headers[name] = raw;
      continue;
    }
    const text = prefix === 'ce-' ? percentDecode(raw) : raw;
    event[attribute] = attributeValue(text, definition.attributes[attribute] ?? 'string');
  }
  const contentType = message.contentType !== undefined && message.contentType !== '' ? message.contentType : 'application/json';
  if ('datacontenttype' in definition.attributes && message.contentType !== undefined && message.contentType !== '') event['datacontenttype'] = message.contentType;
  if (message.payload.length > 0) {
    let text: string;
    try {
      text = decoder.decode(message.payload);
    } catch {
      throw new DecodeError(message.address, 'CloudEvent data is not valid UTF-8');
    }
    if (isJsonContentType(contentType)) {
      // parseJson reports a position, never the text, which may hold secrets.
      event['data'] = parseJson(message.address, text, 'CloudEvent data');
    } else if (contentType.toLowerCase().startsWith('text/')) {
      event['data'] = text;
    } else {
      throw new DecodeError(message.address, `CloudEvent data of content type "${contentType}" is not JSON or text`);
    }
  }
  return { event, headers };
}
