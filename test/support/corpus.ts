/**
 * What a public AsyncAPI document promises, read with the official parser alone (never our IR),
 * so a test can tell when the generator drops an operation, a message or a reply.
 */
import { readFile } from 'node:fs/promises';
import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { OpenAPISchemaParser } from '@asyncapi/openapi-schema-parser';
import { Parser, type MessageInterface, type OperationInterface } from '@asyncapi/parser';
import { ProtoBuffSchemaParser } from '@asyncapi/protobuf-schema-parser';

export interface ExpectedMessage {
  /** The parser's id; `<anonymous-message…>` where a 2.x message has no id of its own. */
  readonly id: string;
  readonly anonymous: boolean;
  readonly hasPayload: boolean;
  /** The payload's `type` when it names one, seen through Multi Format Schema Object wrappers. */
  readonly payloadType?: string;
  /** `examples[].payload` of the message, then `examples` / `example` of its payload schema. */
  readonly payloadExamples: readonly unknown[];
  readonly headerExamples: readonly unknown[];
}

export interface ExpectedOperation {
  readonly id: string;
  /** 3.x: the operation's key. 2.x: its operationId, when it has one. */
  readonly matchId?: string;
  /** Address of its channel and the action in 3.x terms (2.x `publish` is `receive`). */
  readonly address: string;
  readonly action: 'send' | 'receive';
  readonly messages: readonly string[];
  /** Message ids of the reply: its `messages`, else every message of its reply channel. */
  readonly reply?: { readonly messages: readonly string[] };
}

export interface ExpectedDocument {
  readonly version: string;
  readonly operations: readonly ExpectedOperation[];
  readonly messages: readonly ExpectedMessage[];
  /** `examples` / `example` of every component schema: more values no validator may throw on. */
  readonly componentExamples: readonly unknown[];
}

const parser = new Parser({ schemaParsers: [AvroSchemaParser(), OpenAPISchemaParser(), ProtoBuffSchemaParser()] });

/** A 2.x message without an id of its own: `<anonymous-message-N>`, or none at all. */
const ANONYMOUS = '<anonymous-message>';
const idOf = (message: MessageInterface): string => (message.id() as string | undefined) || ANONYMOUS;
const isAnonymous = (id: string) => id === ANONYMOUS || /^<anonymous-message-\d+>$/.test(id);
/** Ids once each; anonymous messages are counted, not told apart. */
const ids = (messages: readonly MessageInterface[]) => messages.map(idOf).filter((id, i, all) => isAnonymous(id) || all.indexOf(id) === i);

function schemaExamples(schema: unknown): unknown[] {
  // A Multi Format Schema Object: the examples are on the schema it wraps.
  const json = unwrapped(schema) as { examples?: unknown; example?: unknown } | null;
  if (typeof json !== 'object' || json === null) return [];
  return [...(Array.isArray(json.examples) ? json.examples : []), ...('example' in json ? [json.example] : [])];
}

/** A schema without its Multi Format Schema Object wrappers (`{schemaFormat, schema}`), however deep. */
function unwrapped(schema: unknown): unknown {
  let node = schema;
  while (typeof node === 'object' && node !== null && 'schemaFormat' in node && 'schema' in node) node = node.schema;
  return node;
}

function expectedMessage(message: MessageInterface): ExpectedMessage {
  const examples = message.examples().all();
  const payload = message.payload()?.json();
  const type = (unwrapped(payload) as { type?: unknown } | undefined)?.type;
  return {
    id: idOf(message),
    anonymous: isAnonymous(idOf(message)),
    hasPayload: message.hasPayload(),
    ...(typeof type === 'string' ? { payloadType: type } : {}),
    payloadExamples: [...examples.filter((e) => e.hasPayload()).map((e) => e.payload()), ...schemaExamples(payload)],
    headerExamples: [...examples.filter((e) => e.hasHeaders()).map((e) => e.headers()), ...schemaExamples(message.headers()?.json())],
  };
}

function expectedOperation(operation: OperationInterface, v2: boolean): ExpectedOperation {
  const raw = operation.action() as string;
  const action = raw === 'publish' ? 'receive' : raw === 'subscribe' ? 'send' : (raw as 'send' | 'receive');
  const reply = operation.reply();
  const replyMessages = reply ? (reply.messages().length > 0 ? reply.messages().all() : (reply.channel()?.messages().all() ?? [])) : [];
  const matchId = v2 ? operation.operationId() : operation.id();
  return {
    id: operation.id() ?? '',
    ...(matchId ? { matchId } : {}),
    address: operation.channels().all()[0]?.address() ?? '',
    action,
    messages: ids(operation.messages().all()),
    ...(reply ? { reply: { messages: ids(replyMessages) } } : {}),
  };
}

/** The document's operations and messages, or the parser's error-severity diagnostics. */
export async function expectedDocument(file: string): Promise<ExpectedDocument> {
  const { document, diagnostics } = await parser.parse(await readFile(file, 'utf8'), { source: file } as never);
  if (!document)
    throw new Error(
      `the official parser rejects ${file}: ${diagnostics
        .filter((d) => d.severity === 0)
        .map((d) => d.message)
        .join('; ')}`,
    );
  const v2 = document.version().startsWith('2.');
  const byId = new Map<string, MessageInterface>();
  const anonymous: MessageInterface[] = [];
  for (const message of document.messages().all()) {
    if (isAnonymous(idOf(message))) anonymous.push(message);
    else if (!byId.has(idOf(message))) byId.set(idOf(message), message);
  }
  return {
    version: document.version(),
    operations: document
      .operations()
      .all()
      .map((o) => expectedOperation(o, v2)),
    messages: [...byId.values(), ...anonymous].map(expectedMessage),
    componentExamples: document
      .components()
      .schemas()
      .all()
      .flatMap((schema) => schemaExamples(schema.json())),
  };
}
