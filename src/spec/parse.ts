import path from 'node:path';
import type { AsyncAPIDocumentInterface, Diagnostic as ParserDiagnostic } from '@asyncapi/parser';
import { CodegenError, type Diagnostic, type Severity } from '../errors.js';
import type { SpecSource } from './load.js';

export interface ParsedSpec {
  readonly source: SpecSource;
  readonly document: AsyncAPIDocumentInterface;
  /** Warnings the parser raised; errors end in a CodegenError instead. */
  readonly diagnostics: readonly Diagnostic[];
}

const SEVERITIES: Record<number, Severity | undefined> = { 0: 'error', 1: 'warning', 2: 'info' };

/** Parses and validates with @asyncapi/parser; any error-severity diagnostic is a user error. */
export async function parseSpec(source: SpecSource): Promise<ParsedSpec> {
  const [{ Parser }, { AvroSchemaParser }, { OpenAPISchemaParser }, { ProtoBuffSchemaParser }] = await Promise.all([
    import('@asyncapi/parser'),
    import('@asyncapi/avro-schema-parser'),
    import('@asyncapi/openapi-schema-parser'),
    import('@asyncapi/protobuf-schema-parser'),
  ]);
  // Payloads in Avro, OpenAPI or Protobuf schemas are turned into JSON Schema by the parser.
  const parser = new Parser({ schemaParsers: [AvroSchemaParser(), OpenAPISchemaParser(), ProtoBuffSchemaParser()] });
  const { document, diagnostics: raw } = await parser.parse(source.text, { source: path.resolve(source.file) });
  const diagnostics = raw.map((d) => toDiagnostic(d, source.file)).filter((d): d is Diagnostic => d !== undefined);
  const all = diagnostics.filter((d) => d.severity === 'error');
  // A syntax error makes every other complaint a consequence of it: show the cause alone.
  const syntax = all.filter((d) => d.code === 'parser');
  const errors = syntax.length > 0 ? syntax : all;
  if (!document || errors.length > 0) {
    const first = errors[0];
    throw new CodegenError({
      code: first?.code ?? 'invalid-spec',
      message: first
        ? `${source.file} is not a valid AsyncAPI document (${errors.length} error${errors.length === 1 ? '' : 's'})`
        : `${source.file} could not be parsed`,
      location: { file: source.file },
      diagnostics: errors.length > 0 ? errors : [{ severity: 'error', code: 'invalid-spec', message: 'the parser returned no document', location: { file: source.file } }],
    });
  }
  const version = document.version();
  if (!version.startsWith('3.')) {
    throw new CodegenError({
      code: 'unsupported-version',
      message: `${source.file} is AsyncAPI ${version}; this generator reads AsyncAPI 3.x`,
      hint: 'convert it first: npx @asyncapi/cli convert <file> --target-version 3.0.0',
      location: { file: source.file, pointer: '/asyncapi' },
    });
  }
  return { source, document, diagnostics: diagnostics.filter((d) => d.severity !== 'error') };
}

/** The parser's `info`/`hint` chatter (such as "a newer AsyncAPI version exists") is dropped. */
function toDiagnostic(d: ParserDiagnostic, file: string): Diagnostic | undefined {
  const severity = SEVERITIES[d.severity];
  if (severity === undefined || severity === 'info') return undefined;
  const pointer = d.path.length > 0 ? `/${d.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}` : '';
  return {
    severity,
    code: String(d.code),
    message: d.message,
    hint: HINTS[String(d.code)],
    location: { file, line: d.range.start.line + 1, column: d.range.start.character + 1, pointer },
  };
}

const HINTS: Record<string, string> = {
  parser: 'fix the JSON/YAML syntax here (YAML: indent with spaces, not tabs)',
  'asyncapi-is-asyncapi': 'an AsyncAPI document starts with `asyncapi: 3.0.0`; OpenAPI documents are not AsyncAPI',
  'asyncapi3-schema': 'compare this part with the AsyncAPI 3.0 specification: https://www.asyncapi.com/docs/reference/specification/v3.0.0',
  'invalid-ref': 'the $ref must point at an existing part of this document (or a file beside it)',
  'asyncapi3-operation-messages-from-referred-channel': "an operation's messages must be messages of its channel",
  'asyncapi-document-resolved': 'compare this part with the AsyncAPI 3.0 specification: https://www.asyncapi.com/docs/reference/specification/v3.0.0',
};
