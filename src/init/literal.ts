/** JSON values written as TypeScript object literals a person would write: bare keys where allowed, indented. */
import { literal, propertyKey } from '../render/strings.js';

const INLINE_WIDTH = 72;

/** The value as a TypeScript expression; `indent` is the indentation of the line it starts on. */
export function tsLiteral(value: unknown, indent = ''): string {
  const inline = oneLine(value);
  if (inline.length + indent.length <= INLINE_WIDTH || !isContainer(value)) return inline;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${tsLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries.map(([k, v]) => `${inner}${propertyKey(k)}: ${tsLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function oneLine(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return literal(value);
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (isContainer(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${oneLine(v)}`).join(', ')} }`;
  }
  return 'undefined';
}

/** `object.key`, or `object["key"]` when the key is not an identifier. */
export function member(object: string, key: string): string {
  const k = propertyKey(key);
  return k === key ? `${object}.${key}` : `${object}[${literal(key)}]`;
}
