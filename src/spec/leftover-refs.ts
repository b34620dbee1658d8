/**
 * @asyncapi/parser 3.6 leaves some local `$ref`s unresolved, without a diagnostic, when a key on
 * their path is `constructor` or `prototype` (its resolver looks such keys up on plain objects).
 * Left alone, a message under a channel named `constructor` silently lost its payload type. Each
 * leftover `{ "$ref": "#/…" }` is replaced in place by what it points at in the parsed document,
 * the same object, as the parser does for the refs it resolves.
 */
import { unescapeSegment } from '../pointer.js';

type Node = Record<string, unknown>;

function isLeftover(value: unknown): value is { $ref: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const ref = (value as Node)['$ref'];
  // The parser still tags what it left over with its own `x-parser-…` ids.
  return typeof ref === 'string' && ref.startsWith('#/') && Object.keys(value).every((k) => k === '$ref' || k.startsWith('x-parser-'));
}

/** The node a local JSON pointer (`#/a/b~1c`) names, own properties only; undefined when absent. */
function lookup(root: unknown, ref: string): unknown {
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = unescapeSegment(raw, true);
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Node)[key];
  }
  return node;
}

/** Resolves leftovers throughout `root`; returns how many were replaced. */
export function resolveLeftoverRefs(root: unknown): number {
  let replaced = 0;
  const seen = new Set<object>();
  const follow = (value: { $ref: string }): unknown => {
    let target: unknown = value;
    // A ref to a ref (itself left over): follow the chain, refusing loops.
    for (let hops = 0; isLeftover(target) && hops < 32; hops++) target = lookup(root, target.$ref);
    return isLeftover(target) ? undefined : target;
  };
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    for (const key of Object.keys(node)) {
      const value = (node as Node)[key];
      if (isLeftover(value)) {
        const target = follow(value);
        if (target !== undefined) {
          (node as Node)[key] = target;
          replaced++;
        }
      }
      visit((node as Node)[key]);
    }
  };
  visit(root);
  return replaced;
}
