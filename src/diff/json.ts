/**
 * JSON helpers for the parser's dereferenced documents, which can be cyclic (recursive schemas)
 * and carry the parser's own `x-parser-*` bookkeeping, which is not part of the spec.
 */

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isParserKey(key: string): boolean {
  return key.startsWith('x-parser-');
}

/** The object's own keys in sorted order, without the parser's. */
export function specKeys(value: JsonObject): string[] {
  return Object.keys(value)
    .filter((k) => !isParserKey(k))
    .sort();
}

/** A stable string for equality: sorted keys, parser keys dropped, a cycle written as `"<circular>"`. */
export function canonical(value: unknown, ancestors: object[] = []): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (ancestors.includes(value)) return '"<circular>"';
  const inner = [...ancestors, value];
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, inner)).join(',')}]`;
  const obj = value as JsonObject;
  return `{${specKeys(obj)
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k], inner)}`)
    .join(',')}}`;
}

export function equal(a: unknown, b: unknown): boolean {
  return a === b || canonical(a) === canonical(b);
}

/** A plain, acyclic copy without parser keys: what @asyncapi/diff can walk safely. */
export function plain(value: unknown, ancestors: object[] = []): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) return '<circular>';
  const inner = [...ancestors, value];
  if (Array.isArray(value)) return value.map((v) => plain(v, inner));
  const obj = value as JsonObject;
  return Object.fromEntries(specKeys(obj).map((k) => [k, plain(obj[k], inner)]));
}

/** A value as a message shows it: JSON, cut short so one change stays one line. */
export function show(value: unknown): string {
  const text = value === undefined ? 'nothing' : canonical(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `changed from "a" to "b"`, or just `changed` when the values are too long to read in a line. */
export function changedText(before: unknown, after: unknown): string {
  const a = show(before);
  const b = show(after);
  return a.endsWith('...') || b.endsWith('...') ? 'changed' : `changed from ${a} to ${b}`;
}

/** `added 5`, `removed (was 5)` or `changed from 5 to 6`. */
export function valueChange(before: unknown, after: unknown): string {
  if (before === undefined) return `added ${show(after)}`;
  if (after === undefined) return `removed (was ${show(before)})`;
  return changedText(before, after);
}
