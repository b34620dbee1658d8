/**
 * Finds schema keywords in a spec as written, with their line, column and JSON pointer: the IR
 * holds hoisted copies of the schemas, but a warning must point where the user wrote the keyword.
 */
import { getLocationForJsonPath, parseWithPointers } from '@stoplight/yaml';
import type { Location } from '../errors.js';
import { NAME_KEYS } from '../ir/keywords.js';
import { pointerOf } from '../pointer.js';
import type { SpecSource } from './load.js';
import { writtenPosition } from './patch.js';

/** Values that are data, not schemas: a key inside them is a payload's field. */
const DATA = new Set(['examples', 'example', 'default', 'const', 'enum']);
/** Keywords whose keys are names (of properties, definitions, components), not keywords. */
const NAMES = new Set([...NAME_KEYS, 'schemas', 'messages', 'channels', 'operations', 'parameters', 'servers']);
/** Schema formats that are JSON Schema (AsyncAPI's own dialect included). */
const JSON_SCHEMA_FORMAT = /^application\/(vnd\.aai\.asyncapi|schema\+json|schema\+yaml)\b/;

export interface Found {
  readonly key: string;
  readonly value: unknown;
  /** The object holding the keyword. */
  readonly node: Readonly<Record<string, unknown>>;
  readonly location: Location;
}

export interface FindOptions {
  /** Skip schemas in another format (OpenAPI, Avro), whose own parser reads their keywords. */
  readonly jsonSchemaOnly?: boolean;
}

/**
 * Where a key sits: `names` when its parent maps names to schemas (`properties`, …), so the key
 * is a name and not a keyword; `parent` is the parent's own key.
 */
export interface KeyContext {
  readonly parent: string | undefined;
  readonly names: boolean;
}

/** Every key `wanted` accepts, in document order; extensions (`x-…`) and example data are not looked into. */
export function findKeywords(source: SpecSource, wanted: (key: string, value: unknown, context: KeyContext) => boolean, options: FindOptions = {}): Found[] {
  const parsed = parseWithPointers(source.text);
  // A patched spec is walked as patched, but placed in the file as written.
  const written = source.written === undefined ? undefined : writtenPosition(source);
  const found: Found[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, path: readonly string[], names: boolean): void => {
    const parent = path[path.length - 1];
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, String(i)], false));
      return;
    }
    const object = node as Record<string, unknown>;
    const format = object['schemaFormat'];
    // 3.x: { schemaFormat, schema }; 2.x: a message's schemaFormat applies to its payload.
    const foreign = options.jsonSchemaOnly === true && typeof format === 'string' && !JSON_SCHEMA_FORMAT.test(format);
    for (const [key, value] of Object.entries(object)) {
      const here = [...path, key];
      if (!names && (DATA.has(key) || key.startsWith('x-') || (foreign && (key === 'schema' || key === 'payload')))) continue;
      if (wanted(key, value, { parent, names })) {
        const pointer = pointerOf(here);
        const where = written ? undefined : getLocationForJsonPath(parsed, here);
        const line = written ? written(pointer) : where ? { line: where.range.start.line + 1, column: where.range.start.character + 1 } : {};
        found.push({ key, value, node: object, location: { file: source.file, ...line, pointer } });
      }
      walk(value, here, !names && NAMES.has(key));
    }
  };
  walk(parsed.data, [], false);
  return found;
}
