/** JSON on the wire; headers as strings. */
import { DecodeError } from './errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson(address: string, bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new DecodeError(address, 'payload is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DecodeError(address, `payload is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Whether a content type is JSON (`application/json`, `…+json`, `text/json`), ignoring parameters. */
export function isJsonContentType(contentType: string): boolean {
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
