/** JSON on the wire; headers as strings. */
import { DecodeError } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
/**
 * Node's Buffer (a Uint8Array) encodes a short string about four times faster than TextEncoder,
 * from a shared pool, so every adapter reads payloads with their byteOffset. Elsewhere: TextEncoder.
 */
const nodeBuffer = (globalThis as { readonly Buffer?: { from(text: string, encoding: 'utf8'): Uint8Array } }).Buffer;

export function encodeJson(value: unknown): Uint8Array {
  const text = JSON.stringify(value);
  return nodeBuffer ? nodeBuffer.from(text, 'utf8') : encoder.encode(text);
}

export function decodeJson(address: string, bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new DecodeError(address, 'payload is not valid UTF-8');
  }
  return parseJson(address, text);
}

/**
 * JSON text as a value. On a syntax error only the position is reported: the engine's own
 * message quotes the input, which may hold secrets.
 */
export function parseJson(address: string, text: string, what = 'payload'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const at = jsonErrorPosition(text);
    const where = at === undefined ? '' : at >= text.length ? ` (it ends early, at position ${at})` : ` (syntax error at position ${at})`;
    throw new DecodeError(address, `${what} is not valid JSON${where}`);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = '"\\/bfnrt';

/** Where JSON text first goes wrong (a UTF-16 offset), or undefined when it is valid. Iterative: deep nesting cannot overflow. */
export function jsonErrorPosition(text: string): number | undefined {
  const open: string[] = [];
  let i = 0;
  let expect: 'value' | 'key' | 'next' = 'value';
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const string = (): boolean => {
    for (i++; i < text.length; i++) {
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return true;
      }
      if (c < ' ') return false;
      if (c !== '\\') continue;
      const e = text.charAt(++i);
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
        i += 4;
      } else if (!ESCAPES.includes(e) || e === '') return false;
    }
    return false;
  };
  for (;;) {
    space();
    if (i >= text.length) return expect === 'next' && open.length === 0 ? undefined : text.length;
    const c = text.charAt(i);
    if (expect === 'key') {
      if (c !== '"' || !string()) return Math.min(i, text.length);
      space();
      if (text.charAt(i) !== ':') return Math.min(i, text.length);
      i++;
      expect = 'value';
    } else if (expect === 'next') {
      const top = open[open.length - 1];
      if (top === undefined) return i;
      if (c === ',') expect = top === '{' ? 'key' : 'value';
      else if (c === (top === '{' ? '}' : ']')) open.pop();
      else return i;
      i++;
    } else if (c === '{' || c === '[') {
      open.push(c);
      i++;
      space();
      if (text.charAt(i) === (c === '{' ? '}' : ']')) {
        open.pop();
        i++;
        expect = 'next';
      } else expect = c === '{' ? 'key' : 'value';
    } else if (c === '"') {
      if (!string()) return Math.min(i, text.length);
      expect = 'next';
    } else {
      const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
      NUMBER.lastIndex = i;
      if (literal) i += literal.length;
      else if (NUMBER.test(text)) i = NUMBER.lastIndex;
      else return i;
      expect = 'next';
    }
  }
}

/** Whether a content type is JSON (`application/json`, `…+json`, `text/json`), ignoring parameters. */
export function isJsonContentType(contentType: string): boolean {
  if (contentType === 'application/json' || contentType === 'application/cloudevents+json') return true; // the common case, on every message
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return base === 'application/json' || base === 'text/json' || base.endsWith('+json');
}

/** Strings stay as they are; anything else travels as JSON text. */
export function encodeHeaders(headers: object | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}
