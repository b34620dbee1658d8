/**
 * Which channels carry Avro in the Confluent wire format on Kafka, read from the AsyncAPI Kafka
 * bindings (0.4.0 and 0.5.0 name the same fields): a message whose payload is Avro and whose
 * channel's Kafka servers name a `schemaRegistryUrl`, or whose own Kafka binding says where the
 * schema id goes (`schemaIdLocation`, `schemaIdPayloadEncoding`, `schemaLookupStrategy`).
 *
 * | field | supported | otherwise |
 * | --- | --- | --- |
 * | `schemaIdLocation` | `payload` (default) | `header` (Apicurio's id headers): error |
 * | `schemaIdPayloadEncoding` | `confluent`, `4` (default) | `apicurio-legacy`, `apicurio-new`, others: error |
 * | `schemaLookupStrategy` | Topic-, Record-, TopicRecordNameStrategy, with or without Confluent's package | others: error |
 * | `schemaRegistryVendor` | `confluent` (default) | others: warning (the client speaks Confluent's REST API) |
 *
 * Every error is a CodegenError: the generator never emits JSON for a message the spec sends as Avro.
 * Each hint names the way to generate the rest: the channel left out with the filter option.
 */
import type { AsyncAPIDocumentInterface, ChannelInterface, MessageInterface } from '@asyncapi/parser';
import { CodegenError, type Diagnostic } from '../errors.js';
import { pointerOf } from '../pointer.js';
import { avroSchemaOf } from './multi-format.js';
import type { IrSpec } from './types.js';

export type SubjectStrategy = 'TopicNameStrategy' | 'RecordNameStrategy' | 'TopicRecordNameStrategy';

export interface KafkaAvroChannel {
  readonly address: string;
  readonly subjectStrategy: SubjectStrategy;
  readonly messages: ReadonlyArray<{ readonly id: string; readonly schema: unknown }>;
}

export interface KafkaAvro {
  readonly channels: readonly KafkaAvroChannel[];
  /** The registry the spec's Kafka servers name, when they name one (the first server's, by name). */
  readonly registryUrl: string | undefined;
  /** Ids of the messages that travel as Avro: they are not JSON on the wire. */
  readonly messageIds: ReadonlySet<string>;
  readonly diagnostics: readonly Diagnostic[];
}

const KAFKA = new Set(['kafka', 'kafka-secure']);
const STRATEGIES: readonly SubjectStrategy[] = ['TopicNameStrategy', 'RecordNameStrategy', 'TopicRecordNameStrategy'];
const STRATEGY_PACKAGE = 'io.confluent.kafka.serializers.subject.';

type Binding = Readonly<Record<string, unknown>>;

function kafkaBinding(bindings: { get(name: string): { value(): unknown } | undefined }): Binding {
  const value = bindings.get('kafka')?.value();
  return typeof value === 'object' && value !== null ? (value as Binding) : {};
}

function text(binding: Binding, field: string): string | undefined {
  const value = binding[field];
  return value === undefined || value === null ? undefined : String(value);
}

/** The Kafka servers a channel is on: its own list, or every server when it names none. */
function kafkaServers(document: AsyncAPIDocumentInterface, channel: ChannelInterface): Array<{ id: string; binding: Binding }> {
  const own = channel.servers().all();
  const servers = own.length > 0 ? own : document.servers().all();
  return servers.filter((s) => KAFKA.has(s.protocol().toLowerCase())).map((s) => ({ id: s.id(), binding: kafkaBinding(s.bindings()) }));
}

export function kafkaAvroOf(document: AsyncAPIDocumentInterface, ir: IrSpec): KafkaAvro | undefined {
  const file = ir.file;
  const diagnostics: Diagnostic[] = [];
  const channels: KafkaAvroChannel[] = [];
  const messageIds = new Set<string>();
  const urls = new Map<string, string>();
  const vendors = new Set<string>();
  const byId = new Map(
    document
      .channels()
      .all()
      .map((c) => [c.id(), c] as const),
  );
  for (const irChannel of ir.channels) {
    const channel = byId.get(irChannel.id);
    if (channel === undefined) continue;
    const servers = kafkaServers(document, channel);
    if (servers.length === 0) continue;
    const registry = servers.filter((s) => text(s.binding, 'schemaRegistryUrl') !== undefined);
    const messages = channel.messages().all();
    const avro = messages.filter((m) => avroSchemaOf(m.json()) !== undefined && (registry.length > 0 || namesSchemaId(kafkaBinding(m.bindings()))));
    if (avro.length === 0) continue;
    const where = (m: MessageInterface) => ({ file, pointer: pointerOf(['channels', irChannel.id, 'messages', m.id()]) });
    if (avro.length < messages.length) {
      const json = messages.filter((m) => !avro.includes(m)).map((m) => `"${m.id()}"`);
      throw new CodegenError({
        code: 'kafka-avro-mixed',
        message: `channel "${irChannel.id}" mixes Avro messages in the Confluent wire format with messages that are not (${json.join(', ')}); a topic's values are decoded one way`,
        hint: `give every message of the channel an Avro payload, or move the other messages to a channel of their own; ${leaveOut(irChannel.id)}`,
        location: { file, pointer: pointerOf(['channels', irChannel.id]) },
      });
    }
    const strategies = new Set<SubjectStrategy>();
    for (const message of avro) {
      const binding = kafkaBinding(message.bindings());
      const at = { ...where(message), channel: irChannel.id };
      checkBinding(binding, message.id(), at);
      strategies.add(strategyOf(text(binding, 'schemaLookupStrategy'), message.id(), at));
      checkUnions(avroSchemaOf(message.json()), message.id(), at);
      messageIds.add(message.id());
    }
    if (strategies.size > 1) {
      throw new CodegenError({
        code: 'kafka-avro-strategy',
        message: `the messages of channel "${irChannel.id}" name different schemaLookupStrategy values (${[...strategies].join(', ')}); one topic's subjects follow one strategy`,
        hint: `give every message of the channel the same schemaLookupStrategy; ${leaveOut(irChannel.id)}`,
        location: { file, pointer: pointerOf(['channels', irChannel.id]) },
      });
    }
    const subjectStrategy = [...strategies][0] ?? 'TopicNameStrategy';
    if (subjectStrategy === 'TopicNameStrategy' && avro.length > 1) {
      diagnostics.push({
        severity: 'warning',
        code: 'kafka-avro-topic-subject',
        message: `channel "${irChannel.id}" has ${avro.length} Avro messages under TopicNameStrategy: all of them share the subject "<topic>-value", so each schema must be a version of it`,
        hint: 'set schemaLookupStrategy: TopicRecordNameStrategy (or RecordNameStrategy) on the messages',
        location: { file, pointer: pointerOf(['channels', irChannel.id]) },
      });
    }
    for (const server of registry) {
      urls.set(server.id, text(server.binding, 'schemaRegistryUrl') ?? '');
      vendors.add(text(server.binding, 'schemaRegistryVendor') ?? 'confluent');
    }
    channels.push({ address: irChannel.address, subjectStrategy, messages: avro.map((m) => ({ id: m.id(), schema: avroSchemaOf(m.json()) })) });
  }
  if (channels.length === 0) return undefined;
  for (const vendor of [...vendors].filter((v) => v.toLowerCase() !== 'confluent').sort()) {
    diagnostics.push({
      severity: 'warning',
      code: 'kafka-avro-vendor',
      message: `schemaRegistryVendor "${vendor}": the generated client speaks the Confluent Schema Registry REST API and wire format`,
      hint:
        vendor.toLowerCase() === 'apicurio'
          ? "pass Apicurio's Confluent-compatible endpoint (…/apis/ccompat/v7) as the registry URL"
          : 'pass the URL of a Confluent-compatible endpoint of that registry',
      location: { file },
    });
  }
  const distinct = new Set(urls.values());
  const first = [...urls.keys()].sort()[0];
  if (distinct.size > 1) {
    diagnostics.push({
      severity: 'info',
      code: 'kafka-avro-registries',
      message: `the Kafka servers name ${distinct.size} schema registries; the generated schemaRegistryUrl is server "${first}"'s`,
      hint: 'pass the registry of the server you connect to in confluentAvro({ registry: { url } })',
      location: { file },
    });
  }
  return { channels, registryUrl: first === undefined ? undefined : urls.get(first), messageIds, diagnostics };
}

/** The way out of a refusal: generate everything else, the channel left out with the filter option. */
function leaveOut(channel: string): string {
  return `or generate without that channel: --filter '!channel:${channel}' (config "filter": ["!channel:${channel}"])`;
}

/** Where a message's refusal points, and the channel it may be left out with. */
interface At {
  readonly file: string;
  readonly pointer: string;
  readonly channel: string;
}

function place(at: At): { file: string; pointer: string } {
  return { file: at.file, pointer: at.pointer };
}

function namesSchemaId(binding: Binding): boolean {
  return ['schemaIdLocation', 'schemaIdPayloadEncoding', 'schemaLookupStrategy'].some((f) => binding[f] !== undefined);
}

function checkBinding(binding: Binding, id: string, at: At): void {
  const idLocation = text(binding, 'schemaIdLocation');
  if (idLocation !== undefined && idLocation !== 'payload') {
    throw new CodegenError({
      code: 'kafka-avro-id-location',
      message: `message "${id}": schemaIdLocation "${idLocation}" is not supported; the generated client puts the schema id in the payload (the Confluent wire format)`,
      hint: `use schemaIdLocation: payload, ${leaveOut(at.channel)} and encode it yourself`,
      location: place(at),
    });
  }
  const encoding = text(binding, 'schemaIdPayloadEncoding');
  if (encoding !== undefined && encoding !== 'confluent' && encoding !== '4') {
    throw new CodegenError({
      code: 'kafka-avro-id-encoding',
      message: `message "${id}": schemaIdPayloadEncoding "${encoding}" is not supported; the generated client writes Confluent's (magic byte 0, a 4-byte schema id)`,
      hint: `use schemaIdPayloadEncoding: confluent (Apicurio reads it with its Confluent-compatible serdes), ${leaveOut(at.channel)} and encode it yourself`,
      location: place(at),
    });
  }
}

function strategyOf(value: string | undefined, id: string, at: At): SubjectStrategy {
  if (value === undefined) return 'TopicNameStrategy';
  const name = value.startsWith(STRATEGY_PACKAGE) ? value.slice(STRATEGY_PACKAGE.length) : value;
  const found = STRATEGIES.find((s) => s === name);
  if (found !== undefined) return found;
  throw new CodegenError({
    code: 'kafka-avro-strategy',
    message: `message "${id}": schemaLookupStrategy "${value}" is not supported`,
    hint: `use one of ${STRATEGIES.join(', ')}, ${leaveOut(at.channel)}`,
    location: place(at),
  });
}

/** JSON kinds of Avro types: an unwrapped union (how the models type it) tells its branches apart by these. */
const KIND: Readonly<Record<string, string>> = { string: 'string', enum: 'string', bytes: 'string', fixed: 'string', record: 'object', error: 'object', map: 'object', array: 'array' };

/** Refuses a union whose JSON value could be either of two branches (two records, a string or bytes). */
function checkUnions(schema: unknown, id: string, at: At): void {
  const named = new Map<string, string>();
  const kindOf = (type: unknown): string | undefined => {
    if (typeof type === 'string') return KIND[type] ?? named.get(type);
    if (Array.isArray(type)) return undefined;
    if (typeof type === 'object' && type !== null) return KIND[String((type as { type?: unknown }).type)];
    return undefined;
  };
  const seen = new Set<object>();
  // Walks type positions only: a schema, a union's branches, fields' types, items and values.
  const visit = (type: unknown): void => {
    if (typeof type !== 'object' || type === null || seen.has(type)) return;
    seen.add(type);
    if (Array.isArray(type)) {
      for (const branch of type) visit(branch);
      const kinds = type.map(kindOf).filter((k): k is string => k !== undefined);
      const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
      if (twice !== undefined) {
        throw new CodegenError({
          code: 'kafka-avro-union',
          message: `message "${id}": an Avro union has two branches that are both ${twice === 'object' ? 'objects' : `${twice}s`} in JSON (${JSON.stringify(type)}); the generated models hold union values unwrapped, so the branch cannot be told`,
          hint: `give the union one record (or map) branch, one array and one string-like branch at most, ${leaveOut(at.channel)}`,
          location: place(at),
        });
      }
      return;
    }
    const { name, namespace, type: kind, fields, items, values } = type as { name?: unknown; namespace?: unknown; type?: unknown; fields?: unknown; items?: unknown; values?: unknown };
    if (typeof name === 'string' && typeof kind === 'string' && KIND[kind] !== undefined) {
      named.set(name, KIND[kind]);
      if (typeof namespace === 'string') named.set(`${namespace}.${name}`, KIND[kind]);
    }
    if (typeof kind === 'object') visit(kind);
    if (Array.isArray(fields)) for (const field of fields) visit((field as { type?: unknown } | null)?.type);
    visit(items);
    visit(values);
  };
  visit(schema);
}
