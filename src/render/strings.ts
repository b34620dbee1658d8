/** The only ways spec text enters generated code: as a string literal, a property key or a comment. */
import { isIdentifier } from '../ir/naming.js';

/** A JSON string literal, with U+2028/2029 escaped so it is safe in any JS parser. */
export function literal(value: unknown): string {
  const json = JSON.stringify(value) ?? 'undefined';
  return json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A property key: bare when it is an identifier, quoted otherwise; `__proto__` computed so it stays an own key. */
export function propertyKey(key: string): string {
  if (key === '__proto__') return `[${literal(key)}]`;
  return isIdentifier(key) ? key : literal(key);
}

/** A property key in a type (interfaces may say `__proto__` quoted without side effects). */
export function typeKey(key: string): string {
  return isIdentifier(key) ? key : literal(key);
}

/** Text safe inside a block comment: `*\/` cannot close it, line breaks are normalised. */
export function commentText(text: string): string {
  return text
    .replace(/\r\n?|\u2028|\u2029/g, '\n')
    .replace(/\*\//g, '*\\/')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .trim();
}

export interface JsDocParts {
  readonly title?: string;
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly examples?: readonly unknown[];
  readonly defaultValue?: unknown;
  readonly tags?: ReadonlyArray<readonly [string, string]>;
}

/** A JSDoc block indented by `indent`, or the empty string when there is nothing to say. */
export function jsdoc(parts: JsDocParts, indent = ''): string {
  const lines: string[] = [];
  const title = parts.title ? commentText(parts.title) : '';
  const description = parts.description ? commentText(parts.description) : '';
  if (title && description && !description.startsWith(title)) lines.push(title, '');
  else if (title && !description) lines.push(title);
  if (description) lines.push(...description.split('\n'));
  if (parts.defaultValue !== undefined) lines.push(`@default ${commentText(literal(parts.defaultValue))}`);
  for (const example of parts.examples ?? []) lines.push(`@example ${commentText(JSON.stringify(example) ?? '')}`);
  for (const [tag, text] of parts.tags ?? []) lines.push(`@${tag} ${commentText(text)}`.trimEnd());
  if (parts.deprecated) lines.push('@deprecated');
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]} */\n`;
  return `${indent}/**\n${lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`)).join('\n')}\n${indent} */\n`;
}
