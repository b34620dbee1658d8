/**
 * What the comparers read: the parser's dereferenced document, with every `$ref` between
 * channels, operations and messages turned back into the id it pointed at (found by object
 * identity, which the parser keeps), and a skeleton for @asyncapi/diff without the parts that
 * are compared here with more care (schemas, parameters, references).
 */
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { isObject, plain, type JsonObject } from './json.js';

export interface MessageView {
  readonly json: JsonObject;
  /** Absent payload or headers mean "anything"; compared as `{}`. */
  readonly payload: SchemaView | undefined;
  readonly headers: SchemaView | undefined;
  /** The message's content type, else the document's default, else JSON. */
  readonly contentType: string;
}

export interface SchemaView {
  readonly schema: unknown;
  /** Set for a multi-format schema object, whose JSON Schema sits one level down under `schema`. */
  readonly schemaFormat: string | undefined;
}

export interface ChannelView {
  readonly messages: ReadonlyMap<string, MessageView>;
  readonly parameters: ReadonlyMap<string, JsonObject>;
  /** Server ids; a channel that names none is on every server. */
  readonly servers: readonly string[];
}

export interface ReplyView {
  readonly channel: string | undefined;
  readonly address: JsonObject | undefined;
  readonly messages: readonly string[];
}

export interface OperationView {
  readonly action: string;
  readonly channel: string | undefined;
  /** Message ids of the operation's channel; no `messages` list means all of them. */
  readonly messages: readonly string[];
  readonly reply: ReplyView | undefined;
}

export interface SpecView {
  readonly channels: ReadonlyMap<string, ChannelView>;
  readonly operations: ReadonlyMap<string, OperationView>;
  /** The document for @asyncapi/diff: plain, acyclic, without components and the parts compared here. */
  readonly skeleton: JsonObject;
}

export function viewOf(document: AsyncAPIDocumentInterface): SpecView {
  const root = document.json() as unknown as JsonObject;
  const channels = objectOf(root.channels);
  const operations = objectOf(root.operations);
  const servers = objectOf(root.servers);
  const defaultContentType = typeof root.defaultContentType === 'string' ? root.defaultContentType : 'application/json';

  const channelView = (channel: JsonObject): ChannelView => {
    const messages = new Map<string, MessageView>();
    for (const [id, message] of Object.entries(objectOf(channel.messages))) {
      const json = objectOf(message);
      const contentType = typeof json.contentType === 'string' ? json.contentType : defaultContentType;
      messages.set(id, { json, payload: schemaView(json.payload), headers: schemaView(json.headers), contentType });
    }
    const named = Array.isArray(channel.servers) ? channel.servers : [];
    return {
      messages,
      parameters: new Map(Object.entries(objectOf(channel.parameters)).map(([id, p]) => [id, objectOf(p)])),
      servers: Object.keys(servers)
        .filter((id) => named.length === 0 || named.includes(servers[id]))
        .sort(),
    };
  };

  const channelId = (channel: unknown): string | undefined => Object.keys(channels).find((id) => channels[id] === channel);
  const messageIds = (channel: unknown, list: unknown): string[] => {
    const messages = objectOf(objectOf(channel).messages);
    if (!Array.isArray(list)) return Object.keys(messages).sort();
    return list.map((m, i) => Object.keys(messages).find((id) => messages[id] === m) ?? `#${i}`).sort();
  };

  const operationView = (operation: JsonObject): OperationView => {
    const reply = isObject(operation.reply) ? operation.reply : undefined;
    // A reply without a channel of its own answers on a dynamic address; its messages are listed inline.
    const replyChannel = reply?.channel;
    return {
      action: typeof operation.action === 'string' ? operation.action : '',
      channel: channelId(operation.channel),
      messages: messageIds(operation.channel, operation.messages),
      reply: reply && {
        channel: replyChannel === undefined ? undefined : (channelId(replyChannel) ?? '(inline)'),
        address: isObject(reply.address) ? reply.address : undefined,
        messages: messageIds(replyChannel, reply.messages),
      },
    };
  };

  return {
    channels: new Map(Object.entries(channels).map(([id, c]) => [id, channelView(objectOf(c))])),
    operations: new Map(Object.entries(operations).map(([id, o]) => [id, operationView(objectOf(o))])),
    skeleton: skeletonOf(root, channels, operations),
  };
}

function schemaView(value: unknown): SchemaView | undefined {
  if (value === undefined) return undefined;
  if (isObject(value) && typeof value.schemaFormat === 'string' && 'schema' in value) return { schema: value.schema, schemaFormat: value.schemaFormat };
  return { schema: value, schemaFormat: undefined };
}

/**
 * Applied traits are already merged into messages and operations by the parser, so `traits`
 * would only repeat them. `components` matter only where they are used, and are seen there.
 */
function skeletonOf(root: JsonObject, channels: JsonObject, operations: JsonObject): JsonObject {
  const { components: _components, channels: _channels, operations: _operations, ...rest } = root;
  const channelSkeleton = (channel: JsonObject): JsonObject => {
    const { messages, parameters: _p, servers: _s, ...others } = channel;
    const stripped = Object.entries(objectOf(messages)).map(([id, m]) => {
      const { payload: _pl, headers: _h, traits: _t, contentType: _ct, ...kept } = objectOf(m);
      return [id, kept] as const;
    });
    return { ...others, messages: Object.fromEntries(stripped) };
  };
  const operationSkeleton = (operation: JsonObject): JsonObject => {
    const { channel: _c, messages: _m, reply: _r, traits: _t, ...others } = operation;
    return others;
  };
  return plain({
    ...rest,
    channels: Object.fromEntries(Object.entries(channels).map(([id, c]) => [id, channelSkeleton(objectOf(c))])),
    operations: Object.fromEntries(Object.entries(operations).map(([id, o]) => [id, operationSkeleton(objectOf(o))])),
  }) as JsonObject;
}

function objectOf(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}
