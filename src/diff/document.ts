/**
 * The document-level diff: @asyncapi/diff over the two skeletons (see view.ts), classified by its
 * AsyncAPI 3 standard with a few overrides. It covers info, servers, channels, operations and
 * messages appearing or disappearing, addresses, actions, bindings and documentation fields.
 *
 * What it cannot do for AsyncAPI 3 and is done elsewhere: it needs dereferenced documents but
 * then sees every `$ref`'d channel and message again inside each operation (so references are
 * compared as ids instead); it marks anything below a payload or in `components` unclassified
 * (schemas are compared in schema.ts); and it compares arrays index by index.
 */
import { diff, type Classifier, type JSONOutput, type OverrideObject } from '@asyncapi/diff';
import type { Changes } from './change.js';
import { fromPointer } from './change.js';
import { valueChange, type JsonObject } from './json.js';

const DOCS: Classifier = { add: 'non-breaking', remove: 'non-breaking', edit: 'non-breaking' };

/**
 * Where the library's standard does not suit a CI gate. The library merges overrides into its
 * module-level standard (it mutates it), so these must stay the same on every call.
 */
const OVERRIDES: OverrideObject = {
  // Every release bumps the version; what changed in the contract is reported on its own lines.
  '/info/version': DOCS,
  '/info/termsOfService': DOCS,
  // 3.0.0 → 3.1.0 changes the language the document is written in, not the contract.
  '/asyncapi': { add: 'non-breaking', remove: 'breaking', edit: 'non-breaking' },
  // Each message's effective content type is compared instead, and is breaking there when it changes.
  '/defaultContentType': DOCS,
  // A channel without an address is dynamic: giving it one changes the address like any edit.
  '/channels/*/address': { add: 'breaking', remove: 'breaking', edit: 'breaking' },
};

/** The library's standard stops at `examples/*` and `tags/*`: what lies below is documentation too. */
const DOC_CONTAINERS = new Set(['examples', 'tags', 'externalDocs']);

const NOUNS: readonly [RegExp, string][] = [
  [/^\/channels\/[^/]+$/, 'channel'],
  [/^\/channels\/[^/]+\/messages\/[^/]+$/, 'message'],
  [/^\/operations\/[^/]+$/, 'operation'],
  [/^\/servers\/[^/]+$/, 'server'],
];

export function compareDocuments(before: JsonObject, after: JsonObject, out: Changes): void {
  const output = diff(before, after, { override: OVERRIDES, outputType: 'json' }).getOutput() as JSONOutput;
  for (const item of output.changes) {
    const at = fromPointer(item.path);
    const kind = item.type === 'unclassified' && at.slice(0, -1).some((s) => DOC_CONTAINERS.has(s)) ? 'non-breaking' : item.type;
    const noun = NOUNS.find(([pattern]) => pattern.test(item.path))?.[1];
    const message =
      noun !== undefined && item.action !== 'edit'
        ? `${noun} ${item.action === 'add' ? 'added' : 'removed'}`
        : valueChange(item.action === 'add' ? undefined : item.before, item.action === 'remove' ? undefined : item.after);
    out.add(kind, at, message);
  }
}
