/**
 * Where a spec writes a given `pattern`: the validators see hoisted copies of the schemas, but a
 * warning must point at the line the user wrote. Read only when some pattern needs a warning.
 */
import { getLocationForJsonPath, parseWithPointers } from '@stoplight/yaml';
import type { Location } from '../errors.js';
import { pointerOf } from '../pointer.js';
import type { SpecSource } from '../spec/load.js';

/** Values that are data, not schemas: a `pattern` key inside them is a payload field. */
const DATA = new Set(['examples', 'example', 'default', 'const', 'enum', 'x-examples']);
/** Keywords whose keys are names (of properties, definitions), not keywords. */
const NAMES = new Set(['properties', 'definitions', '$defs', 'dependentSchemas', 'schemas', 'messages', 'channels', 'operations', 'parameters']);

/** Every place the document writes one of `patterns`, as a `pattern` value or a `patternProperties` key. */
export function locatePatterns(source: SpecSource, patterns: ReadonlySet<string>): Map<string, Location[]> {
  const found = new Map<string, Location[]>();
  const parsed = parseWithPointers(source.text);
  const at = (pattern: string, path: readonly string[]): void => {
    const where = getLocationForJsonPath(parsed, [...path]);
    const list = found.get(pattern) ?? [];
    list.push({
      file: source.file,
      ...(where ? { line: where.range.start.line + 1, column: where.range.start.character + 1 } : {}),
      pointer: pointerOf(path),
    });
    found.set(pattern, list);
  };
  const seen = new Set<object>();
  const walk = (node: unknown, path: readonly string[], names: boolean): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, String(i)], false));
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      const here = [...path, key];
      if (!names && DATA.has(key)) continue;
      if (!names && key === 'pattern' && typeof value === 'string') {
        if (patterns.has(value)) at(value, here);
        continue;
      }
      if (!names && key === 'patternProperties' && typeof value === 'object' && value !== null) {
        for (const p of Object.keys(value)) if (patterns.has(p)) at(p, [...here, p]);
      }
      walk(value, here, !names && (NAMES.has(key) || key === 'patternProperties'));
    }
  };
  walk(parsed.data, [], false);
  return found;
}
