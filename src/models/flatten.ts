/**
 * Modelina merges `allOf` members but keeps the first schema it sees for a property, so a later
 * member that narrows a field (a `const` event name over an envelope's plain string) is lost.
 * For the models only, object `allOf`s are merged here, later members refining earlier ones;
 * the validators keep the original `allOf`.
 */
type Schema = { [keyword: string]: unknown };

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DEF = '#/definitions/';

export function flattenAllOf(definitions: ReadonlyMap<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const resolving = new Set<string>();

  const resolve = (node: unknown): unknown => {
    if (isSchema(node) && typeof node.$ref === 'string' && node.$ref.startsWith(DEF)) {
      const name = node.$ref.slice(DEF.length);
      if (resolving.has(name)) return undefined;
      resolving.add(name);
      const target = flattenNode(definitions.get(name));
      resolving.delete(name);
      return target;
    }
    return flattenNode(node);
  };

  const mergeable = (s: unknown): s is Schema => isSchema(s) && !('oneOf' in s) && !('anyOf' in s) && !('not' in s) && !('allOf' in s) && (s.type === undefined || s.type === 'object');

  const flattenNode = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(flattenNode);
    if (!isSchema(node)) return node;
    const copy: Schema = {};
    for (const [k, v] of Object.entries(node)) copy[k] = k === 'examples' || k === 'default' || k === 'const' || k === 'enum' ? v : flattenNode(v);
    if (!Array.isArray(copy.allOf)) return copy;
    const parts = copy.allOf.map(resolve);
    const { allOf: _drop, ...own } = copy;
    if (!parts.every(mergeable) || !mergeable(own)) return copy;
    const properties: Schema = {};
    const required = new Set<string>();
    for (const part of [...parts, own]) {
      if (isSchema(part.properties)) {
        for (const [key, sub] of Object.entries(part.properties)) {
          const before = properties[key];
          properties[key] = isSchema(before) && isSchema(sub) && !('$ref' in sub) ? { ...before, ...sub } : sub;
        }
      }
      if (Array.isArray(part.required)) for (const r of part.required) if (typeof r === 'string') required.add(r);
    }
    const merged: Schema = { ...own, type: 'object', properties };
    if (required.size > 0) merged.required = [...required];
    return merged;
  };

  for (const [name, schema] of definitions) out.set(name, flattenNode(schema));
  return out;
}
