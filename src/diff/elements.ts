/**
 * What @asyncapi/diff cannot see well, compared element by element for channels and operations
 * present in both versions (appearing and disappearing ones are reported by document.ts).
 *
 * | change                                         | why                                             | kind         |
 * |------------------------------------------------|-------------------------------------------------|--------------|
 * | message payload / headers                      | see the table in schema.ts                      | by schema    |
 * | message content type (effective) changed       | the other side decodes the bytes differently    | breaking     |
 * | channel parameter added or removed             | the address and the generated signature change  | breaking     |
 * | parameter enum or location changed             | publishers' values or subscribers' filters fail | breaking     |
 * | parameter default changed                      | depends on how each side fills it               | unclassified |
 * | parameter description / examples               | documentation                                   | non-breaking |
 * | channel no longer on a server                  | clients of that server lose the channel         | breaking     |
 * | channel now also on a server                   | nobody loses anything                           | non-breaking |
 * | operation moved to another channel             | it sends or listens somewhere else              | breaking     |
 * | message removed from an operation              | its publishers or subscribers lose it           | breaking     |
 * | message added to an operation                  | old clients never see it                        | non-breaking |
 * | reply removed, its channel or address changed  | requesters wait for an answer that never comes  | breaking     |
 * | reply added to a send operation                | old receivers do not answer                     | breaking     |
 * | reply added to a receive operation             | old senders ignore the answer                   | non-breaking |
 */
import type { Changes, Segments } from './change.js';
import { equal, show, specKeys, valueChange, type JsonObject } from './json.js';
import { compareEnums, compareSchemas } from './schema.js';
import type { ChannelView, MessageView, OperationView, ReplyView, SchemaView, SpecView } from './view.js';

export function compareElements(before: SpecView, after: SpecView, out: Changes): void {
  for (const [id, a] of before.channels) {
    const b = after.channels.get(id);
    if (b) compareChannel(a, b, ['channels', id], out);
  }
  for (const [id, a] of before.operations) {
    const b = after.operations.get(id);
    if (b) compareOperation(a, b, ['operations', id], out);
  }
}

function compareChannel(a: ChannelView, b: ChannelView, at: Segments, out: Changes): void {
  for (const [id, p] of a.parameters) {
    const q = b.parameters.get(id);
    if (q) compareParameter(p, q, [...at, 'parameters', id], out);
    else out.breaking([...at, 'parameters', id], 'parameter removed');
  }
  for (const id of b.parameters.keys()) if (!a.parameters.has(id)) out.breaking([...at, 'parameters', id], 'parameter added');
  for (const s of a.servers) if (!b.servers.includes(s)) out.breaking([...at, 'servers'], `no longer on server ${show(s)}`);
  for (const s of b.servers) if (!a.servers.includes(s)) out.nonBreaking([...at, 'servers'], `now also on server ${show(s)}`);
  for (const [id, m] of a.messages) {
    const n = b.messages.get(id);
    if (n) compareMessage(m, n, [...at, 'messages', id], out);
  }
}

function compareParameter(a: JsonObject, b: JsonObject, at: Segments, out: Changes): void {
  for (const key of [...new Set([...specKeys(a), ...specKeys(b)])].sort()) {
    if (equal(a[key], b[key])) continue;
    const text = valueChange(a[key], b[key]);
    if (key === 'enum') compareEnums(a[key], b[key], [...at, key], out);
    else if (key === 'location') out.breaking([...at, key], text);
    else if (key === 'description' || key === 'examples') out.nonBreaking([...at, key], text);
    else out.unclassified([...at, key], text);
  }
}

function compareMessage(a: MessageView, b: MessageView, at: Segments, out: Changes): void {
  if (a.contentType !== b.contentType) out.breaking([...at, 'contentType'], `content type changed from ${show(a.contentType)} to ${show(b.contentType)}`);
  compareSchema(a.payload, b.payload, [...at, 'payload'], out);
  compareSchema(a.headers, b.headers, [...at, 'headers'], out);
}

/** A multi-format schema is compared as the JSON Schema the parser converted it to. */
function compareSchema(a: SchemaView | undefined, b: SchemaView | undefined, at: Segments, out: Changes): void {
  if (a?.schemaFormat !== b?.schemaFormat) {
    out.nonBreaking([...at, 'schemaFormat'], `${valueChange(a?.schemaFormat, b?.schemaFormat)}; the schemas are compared as JSON Schema`);
  }
  compareSchemas(a?.schema, b?.schema, b?.schemaFormat === undefined ? at : [...at, 'schema'], out);
}

function compareOperation(a: OperationView, b: OperationView, at: Segments, out: Changes): void {
  if (a.channel !== b.channel) out.breaking([...at, 'channel'], `channel changed from ${show(a.channel)} to ${show(b.channel)}`);
  else compareIds(a.messages, b.messages, [...at, 'messages'], out);
  compareReply(a.reply, b.reply, b.action, [...at, 'reply'], out);
}

function compareReply(a: ReplyView | undefined, b: ReplyView | undefined, action: string, at: Segments, out: Changes): void {
  if (!a && !b) return;
  if (!b) return out.breaking(at, 'reply removed');
  if (!a) return out.add(action === 'send' ? 'breaking' : 'non-breaking', at, action === 'send' ? 'reply added: receivers built from the old spec do not answer' : 'reply added');
  if (a.channel !== b.channel) out.breaking([...at, 'channel'], `channel changed from ${show(a.channel)} to ${show(b.channel)}`);
  else compareIds(a.messages, b.messages, [...at, 'messages'], out);
  if (!equal(a.address?.location, b.address?.location)) out.breaking([...at, 'address', 'location'], valueChange(a.address?.location, b.address?.location));
  if (!equal(a.address?.description, b.address?.description)) {
    out.nonBreaking([...at, 'address', 'description'], valueChange(a.address?.description, b.address?.description));
  }
}

function compareIds(a: readonly string[], b: readonly string[], at: Segments, out: Changes): void {
  for (const id of a) if (!b.includes(id)) out.breaking(at, `message ${show(id)} removed`);
  for (const id of b) if (!a.includes(id)) out.nonBreaking(at, `message ${show(id)} added`);
}
