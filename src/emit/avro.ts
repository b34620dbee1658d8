/**
 * The generated `avro.ts` (the Avro schemas of the channels that carry Confluent Avro on Kafka) and
 * the runtime files it needs, for a spec that has such channels and a Kafka adapter to send them.
 */
import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import type { Diagnostic } from '../errors.js';
import { kafkaAvroOf } from '../ir/kafka-avro.js';
import type { IrSpec } from '../ir/types.js';
import type { Render } from '../render/handlebars.js';

/** The runtime files behind `confluentAvro()`, emitted beside the Kafka adapter. */
export const AVRO_RUNTIME_FILES = ['avro.ts', 'schema-registry.ts'] as const;

export interface AvroOutput {
  /** The generated `avro.ts`; undefined when no channel carries Confluent Avro. */
  readonly file: string | undefined;
  readonly runtime: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  /** Messages that are Avro on the wire: the warning that the client sends JSON does not apply to them. */
  readonly messageIds: ReadonlySet<string>;
}

export function avroOutput(document: AsyncAPIDocumentInterface, ir: IrSpec, kafka: boolean, render: Render, header: string): AvroOutput {
  const avro = kafka ? kafkaAvroOf(document, ir) : undefined;
  if (avro === undefined) return { file: undefined, runtime: [], diagnostics: [], messageIds: new Set() };
  const channels = JSON.stringify(avro.channels, null, 2);
  return {
    file: render('avro.ts', { header, channels, registryUrl: avro.registryUrl ?? false }),
    runtime: AVRO_RUNTIME_FILES,
    diagnostics: avro.diagnostics,
    messageIds: avro.messageIds,
  };
}

/** Drops the "sends JSON" warning of messages the Avro codec sends as Avro. */
export function withoutAvroWarnings(diagnostics: readonly Diagnostic[], messageIds: ReadonlySet<string>): Diagnostic[] {
  return diagnostics.filter((d) => d.code !== 'unsupported-content-type' || ![...messageIds].some((id) => d.message.startsWith(`message "${id}" `)));
}
