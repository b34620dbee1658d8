/**
 * Avro payloads in the Confluent wire format on Kafka: a magic byte 0, the writer's schema id
 * (4 bytes, big-endian) from a schema registry, then the Avro binary encoding. `confluentAvro()`
 * is a value codec for `connectKafka({ valueCodec })`; the generated `avro.ts` lists, per channel,
 * the Avro schemas the spec gives.
 *
 * - The client validates and routes the payload as JSON (its generated validators run on both
 *   sides); this codec turns the JSON value into Avro on publish, after Avro's own type check, and
 *   Avro back into JSON on receive. Avro `bytes` and `fixed` are strings of code points 0-255 in
 *   JSON, as the Avro JSON encoding and the generated JSON Schema have them.
 * - Publish: the subject follows the channel's strategy (TopicNameStrategy `<topic>-value`,
 *   RecordNameStrategy `<namespace.Name>`, TopicRecordNameStrategy `<topic>-<namespace.Name>`);
 *   the id is looked up once per subject and schema (registered with `autoRegister`).
 * - Receive: the writer's schema is fetched by id once, and the record decoded with it into the
 *   channel's schema of the same full name (Avro schema resolution: a field the writer lacks takes
 *   its default), or into the writer's own when the channel has none of that name.
 * - Unions travel unwrapped, as the JSON models have them: a union with two branches of the same
 *   JSON kind (two records) is refused when the codec is built.
 */
import { Buffer } from 'node:buffer';
import avsc from 'avsc';
import { addressPattern, type AddressPattern } from './address.js';
import { DecodeError, UsageError, ValidationError, type ValidationIssue } from './errors.js';
import { SchemaRegistry, SchemaRegistryError, type SchemaRegistryOptions } from './schema-registry.js';
import type { OutgoingMessage } from './transport.js';

export * from './schema-registry.js';

/** An Avro schema as JSON (a record, or any other Avro type). */
export type AvroSchema = Readonly<Record<string, unknown>> | readonly unknown[] | string;

export type SubjectStrategy = 'TopicNameStrategy' | 'RecordNameStrategy' | 'TopicRecordNameStrategy';

export interface AvroMessage {
  /** The message's key in the spec. */
  readonly id: string;
  readonly schema: AvroSchema;
}

/** One channel whose messages travel as Confluent Avro. */
export interface AvroChannel {
  /** The channel's address template (`orders.{region}`): the topics it covers. */
  readonly address: string;
  readonly subjectStrategy: SubjectStrategy;
  readonly messages: readonly AvroMessage[];
}

export interface ConfluentAvroOptions {
  readonly registry: SchemaRegistry | SchemaRegistryOptions;
  /** The generated `avroChannels`. */
  readonly channels: readonly AvroChannel[];
}

/** The Kafka adapter's value codec (KafkaValueCodec in kafka-wire.ts). */
export interface ConfluentAvroCodec {
  handles(topic: string): boolean;
  encode(topic: string, message: OutgoingMessage): Promise<{ readonly value: Uint8Array; readonly contentType?: string | undefined }>;
  decode(topic: string, value: Uint8Array): Promise<Uint8Array>;
}

export const MAGIC_BYTE = 0;
/** Sent as the content-type header when the spec's content type is JSON (the default). */
export const AVRO_CONTENT_TYPE = 'application/vnd.apache.avro+binary';

/** The Confluent frame around an Avro body. */
export function frameConfluent(schemaId: number, body: Uint8Array): Buffer {
  const framed = Buffer.alloc(5 + body.byteLength);
  framed.writeUInt8(MAGIC_BYTE, 0);
  framed.writeUInt32BE(schemaId, 1);
  framed.set(body, 5);
  return framed;
}

/** The schema id and Avro body of a Confluent-framed value; a DecodeError for anything else. */
export function unframeConfluent(topic: string, value: Uint8Array): { readonly schemaId: number; readonly body: Buffer } {
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (bytes.byteLength < 5) throw new DecodeError(topic, `the value has ${bytes.byteLength} bytes; the Confluent wire format needs 5 before the Avro body (magic byte 0, schema id)`);
  const magic = bytes.readUInt8(0);
  if (magic !== MAGIC_BYTE)
    throw new DecodeError(topic, `the value starts with byte 0x${magic.toString(16).padStart(2, '0')}, not the Confluent wire format's magic byte 0x00 (is the producer sending plain JSON or Avro?)`);
  return { schemaId: bytes.readUInt32BE(1), body: bytes.subarray(5) };
}

/** Fresh for every schema: avsc keeps the named types it meets in the options object. */
const avscOptions = (): { wrapUnions: false } => ({ wrapUnions: false });

function typeOf(schema: unknown, what: string): avsc.Type {
  try {
    return avsc.Type.forSchema(schema as avsc.Schema, avscOptions());
  } catch (error) {
    throw new UsageError(`${what} is not an Avro schema this codec can use: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface Reader {
  readonly id: string;
  readonly type: avsc.Type;
  /** The spec's schema as JSON text: what is looked up in (or registered with) the registry. */
  readonly text: string;
  /** Its id per subject, so a publish builds no cache key from the schema text. */
  readonly ids: Map<string, Promise<number>>;
}

interface Channel {
  readonly pattern: AddressPattern;
  readonly strategy: SubjectStrategy;
  readonly readers: readonly Reader[];
}

export function confluentAvro(options: ConfluentAvroOptions): ConfluentAvroCodec {
  const registry = options.registry instanceof SchemaRegistry ? options.registry : new SchemaRegistry(options.registry);
  const channels: Channel[] = options.channels.map((c) => ({
    pattern: addressPattern(c.address),
    strategy: c.subjectStrategy,
    readers: c.messages.map((m) => ({ id: m.id, type: typeOf(m.schema, `the schema of message "${m.id}"`), text: JSON.stringify(m.schema), ids: new Map() })),
  }));
  const byTopic = new Map<string, Channel | null>();
  const channelOf = (topic: string): Channel | undefined => {
    let found = byTopic.get(topic);
    if (found === undefined) {
      found = channels.find((c) => c.pattern.match(topic) !== undefined) ?? null;
      if (byTopic.size < 10_000) byTopic.set(topic, found);
    }
    return found ?? undefined;
  };
  const writers = new Map<number, avsc.Type>();
  const resolvers = new Map<string, { readonly reader: avsc.Type; readonly resolver: unknown }>();

  const readerFor = (topic: string, schemaId: number, writer: avsc.Type): { readonly reader: avsc.Type; readonly resolver: unknown } => {
    const key = `${topic}\u0000${schemaId}`;
    let found = resolvers.get(key);
    if (found === undefined) {
      const readers = channelOf(topic)?.readers ?? [];
      const reader = readers.find((r) => r.type.name !== undefined && r.type.name === writer.name)?.type ?? (readers.length === 1 ? readers[0]?.type : undefined) ?? writer;
      try {
        found = { reader, resolver: reader === writer ? undefined : reader.createResolver(writer) };
      } catch (error) {
        throw new DecodeError(topic, `the writer's schema (id ${schemaId}) cannot be read as ${reader.name ?? reader.typeName}: ${error instanceof Error ? error.message : String(error)}`);
      }
      resolvers.set(key, found);
    }
    return found;
  };

  return {
    handles: (topic) => channelOf(topic) !== undefined,

    async encode(topic, message) {
      const channel = channelOf(topic);
      if (channel === undefined) throw new UsageError(`topic "${topic}" has no Avro schema`);
      const json = JSON.parse(Buffer.from(message.payload.buffer, message.payload.byteOffset, message.payload.byteLength).toString('utf8')) as unknown;
      let chosen: { readonly reader: Reader; readonly value: unknown } | undefined;
      let issues: ValidationIssue[] = [];
      for (const reader of channel.readers) {
        const value = toAvro(reader.type, json);
        if (reader.type.isValid(value)) {
          chosen = { reader, value };
          break;
        }
        // Only a value that fails is checked again, to say where.
        if (issues.length === 0) issues = avroIssues(reader.type, value);
      }
      if (chosen === undefined) throw new ValidationError(channel.readers.length === 1 ? (channel.readers[0]?.id ?? topic) : topic, 'payload', 'publish', issues);
      const type = chosen.reader.type;
      const subject = channel.strategy === 'TopicNameStrategy' ? `${topic}-value` : channel.strategy === 'RecordNameStrategy' ? recordName(type) : `${topic}-${recordName(type)}`;
      let id = chosen.reader.ids.get(subject);
      if (id === undefined) {
        const lookup = registry.idOf(subject, chosen.reader.text);
        const ids = chosen.reader.ids;
        ids.set(subject, lookup);
        lookup.catch(() => ids.delete(subject));
        id = lookup;
      }
      const contentType = message.contentType === undefined || /json/i.test(message.contentType) ? AVRO_CONTENT_TYPE : message.contentType;
      return { value: frameConfluent(await id, type.toBuffer(chosen.value)), contentType };
    },

    async decode(topic, value) {
      const { schemaId, body } = unframeConfluent(topic, value);
      let writer = writers.get(schemaId);
      if (writer === undefined) {
        let text: string;
        try {
          text = await registry.schemaById(schemaId);
        } catch (error) {
          if (error instanceof SchemaRegistryError) throw new DecodeError(topic, `schema id ${schemaId} is unknown to the schema registry (${error.message})`);
          throw error; // unreachable registry: the record is tried again
        }
        try {
          writer = avsc.Type.forSchema(JSON.parse(text) as avsc.Schema, avscOptions());
        } catch (error) {
          throw new DecodeError(topic, `the writer's schema (id ${schemaId}) cannot be used: ${error instanceof Error ? error.message : String(error)}`);
        }
        writers.set(schemaId, writer);
      }
      const { reader, resolver } = readerFor(topic, schemaId, writer);
      let decoded: unknown;
      try {
        decoded = reader.fromBuffer(body, resolver as Parameters<avsc.Type['fromBuffer']>[1]);
      } catch (error) {
        throw new DecodeError(topic, `the Avro body does not match the writer's schema (id ${schemaId}): ${error instanceof Error ? error.message : String(error)}`);
      }
      return Buffer.from(JSON.stringify(fromAvro(reader, decoded)), 'utf8');
    },
  };
}

function recordName(type: avsc.Type): string {
  if (type.name === undefined) throw new UsageError(`RecordNameStrategy needs a named Avro type; the schema is ${type.typeName}`);
  return type.name;
}

function avroIssues(type: avsc.Type, value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  type.isValid(value, {
    errorHook: (path, bad, at) =>
      issues.push({ pointer: path.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''), keyword: 'avro', message: `is not a valid Avro ${avroName(at)}`, value: preview(bad) }),
  });
  return issues;
}

function avroName(type: avsc.Type): string {
  return type.name ?? type.typeName;
}

function preview(value: unknown): string {
  const text = Buffer.isBuffer(value) ? `<${value.byteLength} bytes>` : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

type Walk = (type: avsc.Type, value: unknown) => unknown;

/** The JSON value as avsc takes it: `bytes` and `fixed` as Buffers, everything else as it is. */
const toAvro: Walk = (type, value) => {
  if (value === null || value === undefined) return value;
  switch (type.typeName) {
    case 'bytes':
    case 'fixed':
      return typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
    case 'record':
    case 'error':
      return isRecord(value) ? mapFields(type as avsc.types.RecordType, value, toAvro) : value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => toAvro((type as avsc.types.ArrayType).itemsType, v)) : value;
    case 'map':
      return isRecord(value) ? mapValues(value, (v) => toAvro((type as avsc.types.MapType).valuesType as avsc.Type, v)) : value;
    case 'union:unwrapped': {
      const branch = branchOf((type as avsc.types.UnwrappedUnionType).types, value);
      return branch === undefined ? value : toAvro(branch, value);
    }
    default:
      return value;
  }
};

/** An avsc value as JSON: Buffers as latin1 strings, records as plain objects. */
const fromAvro: Walk = (type, value) => {
  if (value === null || value === undefined) return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  switch (type.typeName) {
    case 'record':
    case 'error':
      return isRecord(value) ? mapFields(type as avsc.types.RecordType, value, fromAvro) : value;
    case 'array':
      return Array.isArray(value) ? value.map((v) => fromAvro((type as avsc.types.ArrayType).itemsType, v)) : value;
    case 'map':
      return isRecord(value) ? mapValues(value, (v) => fromAvro((type as avsc.types.MapType).valuesType as avsc.Type, v)) : value;
    case 'union:unwrapped': {
      const branch = (type as avsc.types.UnwrappedUnionType).types.find((t) => t.isValid(value));
      return branch === undefined ? value : fromAvro(branch, value);
    }
    default:
      return value;
  }
};

/** The branch of an unwrapped union a JSON value belongs to (at most one per JSON kind). */
function branchOf(types: readonly avsc.Type[], value: unknown): avsc.Type | undefined {
  const kinds: Readonly<Record<string, readonly string[]>> = {
    string: ['string', 'enum', 'bytes', 'fixed'],
    object: ['record', 'error', 'map'],
    array: ['array'],
  };
  const kind = Array.isArray(value) ? 'array' : typeof value;
  const wanted = kinds[kind];
  return wanted === undefined ? undefined : types.find((t) => wanted.includes(t.typeName));
}

function mapFields(type: avsc.types.RecordType, value: Readonly<Record<string, unknown>>, walk: Walk): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fields) if (Object.hasOwn(value, field.name)) out[field.name] = walk(field.type, value[field.name]);
  return out;
}

function mapValues(value: Readonly<Record<string, unknown>>, walk: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = walk(v);
  return out;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
