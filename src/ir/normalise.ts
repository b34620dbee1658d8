/**
 * Parser document → IR. All naming happens here, in one deterministic pass over the document in
 * its own order: component schemas, then messages, channels and operations.
 */
import path from 'node:path';
import type { AsyncAPIDocumentInterface, ChannelInterface, MessageInterface, OperationInterface } from '@asyncapi/parser';
import type { Diagnostic } from '../errors.js';
import type { ParsedSpec } from '../spec/parse.js';
import { cloudEventOf } from './cloudevents.js';
import { filterIr } from './filter.js';
import { findDiscriminator, typesDisjoint } from './discriminator.js';
import { lintSchemas } from './lint.js';
import { NameScope, camelCase, pascalCase, propertyName } from './naming.js';
import { runtimeNames } from './runtime-names.js';
import { unwrapNested, unwrapSchema } from './multi-format.js';
import { SchemaHoister, isSchemaObject } from './schemas.js';
import { sensitiveOf } from './sensitive.js';
import type { Docs, IrChannel, IrDiscriminator, IrMessage, IrOperation, IrParameter, IrReply, IrSpec, JsonValue } from './types.js';
import { pointerOf, unescapeSegment } from '../pointer.js';

export interface NormaliseOptions {
  /** Base name of the client (`Sessions` → `createSessionsClient`); default from the spec's title. */
  readonly clientName?: string | undefined;
  /** False: no validator names, so messages are typed but not checked. */
  readonly validation?: boolean | undefined;
  /** Glob patterns of the channels and operations to keep (src/ir/filter.ts); default: all. */
  readonly filter?: readonly string[] | undefined;
}

export function normalise(parsed: ParsedSpec, options: NormaliseOptions = {}): IrSpec {
  const { document, source } = parsed;
  const types = new NameScope('type');
  const values = new NameScope('identifier');
  const clientKeys = new NameScope('client property');
  // What client.ts and index.ts import from the runtime, read from its files: spec names never take them.
  for (const { name, file } of runtimeNames()) for (const scope of [types, values]) scope.reserve(name, `the runtime (runtime/${file})`);
  clientKeys.claim('channels', 'the client (channel endpoints)');

  const info = document.info();
  const title = info.title() || path.basename(source.file).replace(/\..*$/, '');
  const clientName = pascalCase(options.clientName ?? title);
  const validation = options.validation ?? true;
  const clientType = types.claim(`${clientName}Client`, 'the client interface');
  const factoryName = values.claim(`create${clientName}Client`, 'the client factory');

  const hoister = new SchemaHoister(types);
  const documentMessages = uniqueMessages(document);
  const wrapped = unwrapNested([
    ...documentMessages.flatMap(({ message }) => [unwrapMultiFormat(message.payload()?.json()), unwrapMultiFormat(message.headers()?.json())]),
    ...document
      .components()
      .schemas()
      .all()
      .map((schema) => unwrapMultiFormat(schema.json())),
  ]);
  hoister.scan(documentMessages.flatMap(({ message }) => [unwrapMultiFormat(message.payload()?.json()), unwrapMultiFormat(message.headers()?.json())]));
  for (const schema of document.components().schemas()) hoister.reserve(unwrapMultiFormat(schema.json()));

  const defaultContentType = document.defaultContentType() ?? 'application/json';
  const messageKeys = new NameScope('message');
  const messages: IrMessage[] = [];
  const messageIds = new Map<object, string>();
  // One validator per definition, named once: client.ts imports it beside the message constants.
  const validators = new Map<string, string>();
  const validatorOf = (definition: string | undefined, what: string): string | undefined => {
    if (definition === undefined || !validation) return undefined;
    let name = validators.get(definition);
    if (name === undefined) {
      name = values.claim(`validate${definition}`, what);
      validators.set(definition, name);
    }
    return name;
  };
  for (const { id, message } of documentMessages) {
    const key = messageKeys.claim(propertyName(id), `message "${id}"`);
    const typeBase = pascalCase(id);
    const payloadSchema = unwrapMultiFormat(message.payload()?.json());
    const headersSchema = unwrapMultiFormat(message.headers()?.json());
    const payload = isSchemaObject(payloadSchema) ? hoister.root(payloadSchema, typeBase, `the payload of message "${id}"`) : undefined;
    const headers = isSchemaObject(headersSchema) ? hoister.root(headersSchema, `${typeBase}Headers`, `the headers of message "${id}"`) : undefined;
    messageIds.set(message.json(), id);
    messages.push({
      id,
      key,
      name: message.name() ?? undefined,
      docs: docsOf(message, isSchemaObject(payloadSchema) && payloadSchema.deprecated === true),
      contentType: message.contentType() ?? defaultContentType,
      payload,
      headers,
      constName: values.claim(`${key}Message`, `message "${id}"`),
      payloadValidator: validatorOf(payload, `the validator of the payload of message "${id}"`),
      headersValidator: validatorOf(headers, `the validator of the headers of message "${id}"`),
      examples: message
        .examples()
        .all()
        .map((e) => (e.payload() ?? null) as JsonValue),
      payloadSchema,
      cloudEvent: cloudEventOf(payloadSchema),
      sensitive: sensitiveOf(payloadSchema, headersSchema),
    });
  }

  const diagnostics: Diagnostic[] = [...parsed.diagnostics, ...lintSchemas(parsed.source)];
  for (const format of wrapped) {
    diagnostics.push({
      severity: 'warning',
      code: 'nested-schema-format',
      message: `a schema of format ${format} sits inside another schema; only a message's own payload and headers are converted from it, so there it is typed unknown and not validated`,
      hint: 'give the message a payload of that format directly, or write the nested schema in JSON Schema',
      location: { file: parsed.source.file },
    });
  }
  for (const m of messages) {
    if (!/^(application|text)\/([\w.-]+\+)?json\b/i.test(m.contentType)) {
      diagnostics.push({
        severity: 'warning',
        code: 'unsupported-content-type',
        message: `message "${m.id}" has content type ${m.contentType}; the generated client sends and expects JSON for it`,
        hint: 'set contentType: application/json on the message, or encode the payload yourself and send it through the transport',
        location: { file: parsed.source.file },
      });
    }
  }
  const channels: IrChannel[] = [];
  const channelKeys = new NameScope('channel');
  for (const channel of document.channels()) {
    // Two keys of one channel may name the same message: it is listed once.
    const channelMessages = [
      ...new Set(
        channel
          .messages()
          .all()
          .map((m) => messageIds.get(m.json()) ?? m.id()),
      ),
    ];
    const address = channel.address();
    const key = channelKeys.claim(propertyName(channel.id()), `channel "${channel.id()}"`);
    const parameters = parametersOf(channel, address ?? '');
    const byId = new Map(messages.map((m) => [m.id, m] as const));
    const schemas = channelMessages.map((id) => [id, byId.get(id)?.payloadSchema] as const);
    const discriminator = findDiscriminator(schemas);
    const warning = overlapWarning(parsed.source.file, channel.id(), schemas, discriminator);
    if (warning) diagnostics.push(warning);
    channels.push({
      id: channel.id(),
      key,
      constName: values.claim(camelCase(`${channel.id()} channel`), `channel "${channel.id()}"`),
      parametersType: parameters.length > 0 ? types.claim(`${pascalCase(channel.id())}Parameters`, `the parameters of channel "${channel.id()}"`) : undefined,
      address: address ?? channel.id(),
      addressIsId: address === null || address === undefined,
      parameters,
      messages: channelMessages,
      discriminator,
      docs: docsOf(channel, false),
    });
  }

  const operations: IrOperation[] = [];
  for (const operation of document.operations()) {
    const ir = operationOf(operation, channels, messageIds, clientKeys, messages);
    if (ir) operations.push(ir);
    else {
      diagnostics.push({
        severity: 'warning',
        code: 'operation-skipped',
        message: `operation "${operation.id() ?? ''}" is left out of the client: it names no channel of the document`,
        hint: 'give the operation a channel: { $ref: "#/channels/<id>" }',
        location: { file: parsed.source.file, pointer: pointerOf(['operations', operation.id() ?? '']) },
      });
    }
  }

  for (const scope of [types, values, messageKeys, channelKeys, clientKeys]) {
    for (const w of scope.warnings) diagnostics.push({ severity: 'warning', code: 'name-collision', message: w.message, location: { file: parsed.source.file } });
  }

  const protocols = [
    ...new Set(
      document
        .servers()
        .all()
        .map((s) => s.protocol().toLowerCase()),
    ),
  ].sort();

  const spec: IrSpec = {
    file: source.file,
    protocols,
    fileBase: path.basename(source.file),
    title,
    version: info.version(),
    description: info.description(),
    clientName,
    clientType,
    factoryName,
    defaultContentType,
    schemas: { definitions: hoister.result() },
    messages,
    channels,
    operations,
    diagnostics,
  };
  return filterIr(spec, options.filter);
}

/** A multi-format schema object (`{ schemaFormat, schema }`) holds the JSON Schema the parser converted. */
function unwrapMultiFormat(schema: unknown): unknown {
  if (isSchemaObject(schema) && typeof schema.schemaFormat === 'string' && 'schema' in schema) return unwrapSchema(schema.schema);
  return schema;
}

/** Messages once each (a message may sit in several channels), keyed by their first channel key. */
function uniqueMessages(document: AsyncAPIDocumentInterface): Array<{ id: string; message: MessageInterface }> {
  const seen = new Set<object>();
  const out: Array<{ id: string; message: MessageInterface }> = [];
  const add = (message: MessageInterface) => {
    if (seen.has(message.json())) return;
    seen.add(message.json());
    out.push({ id: message.id(), message });
  };
  for (const channel of document.channels()) for (const m of channel.messages()) add(m);
  for (const operation of document.operations()) for (const m of operation.messages()) add(m);
  return out;
}

function docsOf(item: { title?(): string | undefined; summary?(): string | undefined; description?(): string | undefined }, deprecated: boolean): Docs {
  return { title: item.title?.(), summary: item.summary?.(), description: item.description?.(), deprecated };
}

function parametersOf(channel: ChannelInterface, address: string): IrParameter[] {
  const names = [...address.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1] ?? '');
  const unique = [...new Set(names)];
  return unique.map((name) => {
    const raw: { [key: string]: unknown } = channel.parameters().get(name)?.json() ?? {};
    const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
    const enumValues = strings(raw.enum);
    return {
      name,
      description: typeof raw.description === 'string' ? raw.description : undefined,
      enum: enumValues.length > 0 ? enumValues : undefined,
      default: typeof raw.default === 'string' ? raw.default : undefined,
      examples: strings(raw.examples),
    };
  });
}

/** One warning per channel naming the messages that neither a discriminator nor their root types tell apart. */
function overlapWarning(file: string, channelId: string, schemas: ReadonlyArray<readonly [string, unknown]>, discriminator: IrDiscriminator | undefined): Diagnostic | undefined {
  const pairs: string[] = [];
  for (let i = 0; i < schemas.length; i++) {
    for (let j = i + 1; j < schemas.length; j++) {
      const a = schemas[i];
      const b = schemas[j];
      if (!a || !b || typesDisjoint(a[1], b[1])) continue;
      if (discriminator && JSON.stringify(discriminator.values.get(a[0])) !== JSON.stringify(discriminator.values.get(b[0]))) continue;
      pairs.push(`"${a[0]}"/"${b[0]}"`);
    }
  }
  if (pairs.length === 0) return undefined;
  const shown = pairs.length > 5 ? `${pairs.slice(0, 5).join(', ')} and ${pairs.length - 5} more pairs` : pairs.join(', ');
  const by = discriminator ? `share a value of "${discriminator.property}"` : 'have no field that tells them apart';
  return {
    severity: 'warning',
    code: 'ambiguous-messages',
    message: `channel "${channelId}": messages ${shown} ${by}; an incoming payload goes to the first whose schema accepts it`,
    hint: discriminator
      ? `give each of these messages its own value of "${discriminator.property}" (a const)`
      : 'give every message of the channel a property with a distinct const, e.g. "type": { "const": "<message name>" }',
    location: { file, pointer: pointerOf(['channels', channelId, 'messages']) },
  };
}

/** The last segment of an unresolved local `$ref` (`#/channels/a~1b` → `a/b`). */
function refTarget(value: unknown): string | undefined {
  const ref = isSchemaObject(value) && Object.keys(value).length === 1 ? value.$ref : undefined;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  const last = ref.split('/').at(-1);
  return last === undefined ? undefined : unescapeSegment(last, true);
}

function operationOf(
  operation: OperationInterface,
  channels: readonly IrChannel[],
  messageIds: ReadonlyMap<object, string>,
  clientKeys: NameScope,
  messages: readonly IrMessage[],
): IrOperation | undefined {
  // @asyncapi/parser 3.6 leaves $refs inside an operation keyed `constructor` unresolved when it
  // reads from a file; the ref's own pointer still names the channel and messages.
  const channelId = operation.channels().all()[0]?.id() ?? refTarget(operation.json().channel);
  const channel = channelId === undefined ? undefined : channels.find((c) => c.id === channelId);
  if (!channel) return undefined;
  // No `messages` key: every message of the channel. `messages: []`: the operation carries none
  // (an HTTP-style call, a ping), and its endpoint sends and receives an empty payload.
  const listed: unknown = operation.json().messages;
  const ids = Array.isArray(listed)
    ? operation
        .messages()
        .all()
        .map((m, i) => messageIds.get(m.json()) ?? refTarget(listed[i]) ?? m.id())
    : [...channel.messages];
  const deprecated = ids.length > 0 && ids.every((id) => messages.find((m) => m.id === id)?.docs.deprecated === true);
  const id = operation.id() ?? channel.id;
  return {
    id,
    key: clientKeys.claim(propertyName(id), `operation "${id}"`),
    action: operation.action() === 'receive' ? 'receive' : 'send',
    channel: channel.id,
    messages: [...new Set(ids)],
    docs: docsOf(operation, deprecated),
    reply: replyOf(operation, channels, messageIds),
  };
}

/**
 * The reply of an operation. Like the operation itself, a reply without `messages` carries every
 * message of its channel; `messages: []`, or a reply with neither channel nor messages, an empty payload.
 */
function replyOf(operation: OperationInterface, channels: readonly IrChannel[], messageIds: ReadonlyMap<object, string>): IrReply | undefined {
  const reply = operation.reply();
  if (!reply) return undefined;
  const raw: unknown = operation.json().reply;
  const json = isSchemaObject(raw) ? raw : {};
  const listed = json.messages;
  const ids = Array.isArray(listed)
    ? reply
        .messages()
        .all()
        .map((m, i) => messageIds.get(m.json()) ?? refTarget(listed[i]) ?? m.id())
    : [];
  const channelId = reply.channel()?.id() ?? refTarget(json.channel);
  // Reply messages belong to the reply channel; a reply that lists messages but names no channel has theirs.
  const channel = channelId !== undefined ? channels.find((c) => c.id === channelId) : ids.length > 0 ? channels.find((c) => ids.every((id) => c.messages.includes(id))) : undefined;
  return { channel: channel?.id, messages: [...new Set(Array.isArray(listed) ? ids : (channel?.messages ?? []))] };
}
