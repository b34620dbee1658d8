import path from 'node:path';
import type { AsyncAPIDocumentInterface, Parser, Diagnostic as ParserDiagnostic } from '@asyncapi/parser';
import { CodegenError, isCodegenError, type Diagnostic, type Severity } from '../errors.js';
import { bindingOf, convertToV3, declaredVersion, isPre3, withoutBindings } from './convert.js';
import type { GenerationOptions } from '../options.js';
import type { SpecSource } from './load.js';
import { checkLimits } from './limits.js';
import { resolveLeftoverRefs } from './leftover-refs.js';
import { checkRefs } from './ref-policy.js';
import { jsonSyntaxError, looksLikeJson } from './json.js';
import { patchDiagnostics, patchSource, writtenPosition } from './patch.js';
import { checkTabs } from './tabs.js';
import { structureRules } from './structure-rule.js';
import { pointerOf } from '../pointer.js';
import { timed } from '../timings.js';

export interface ParsedSpec {
  readonly source: SpecSource;
  readonly document: AsyncAPIDocumentInterface;
  /** Warnings the parser raised; errors end in a CodegenError instead. */
  readonly diagnostics: readonly Diagnostic[];
}

const SEVERITIES: Record<number, Severity | undefined> = { 0: 'error', 1: 'warning', 2: 'info' };

/**
 * Parses and validates with @asyncapi/parser; any error-severity diagnostic is a user error.
 * AsyncAPI 3.0 and 3.1 are read as they are; 2.x is validated as 2.x first (so its errors point
 * into the file as written), then converted to 3.0.0; 1.x, which the parser no longer reads, is
 * converted straight away.
 */
export interface ParseOptions {
  /** Follow `$ref`s to files outside the spec's folder and to URLs (refused by default). */
  readonly allowExternalRefs?: boolean | undefined;
  /** JSON Patch operations applied to the document as written, before it is parsed. */
  readonly patches?: GenerationOptions['patches'];
  /** false: Spectral compiles the AsyncAPI JSON Schema itself, as the parser does alone (tests compare both). */
  readonly precompiledSchema?: boolean | undefined;
}

export async function parseSpec(written: SpecSource, options: ParseOptions = {}): Promise<ParsedSpec> {
  // The file as written must be safe to read before a patch reads it.
  await checkLimits(written);
  await checkTabs(written);
  const source = await patchSource(written, options.patches);
  if (source.written === undefined) return parseSource(source, options);
  const at = writtenPosition(source);
  try {
    const parsed = await parseSource(source, options);
    return { ...parsed, diagnostics: [...patchDiagnostics(source), ...parsed.diagnostics.map((d) => atWritten(d, at))] };
  } catch (error) {
    if (!isCodegenError(error)) throw error;
    throw new CodegenError({ code: error.code, message: error.message, hint: error.hint, location: error.location, diagnostics: error.diagnostics.map((d) => atWritten(d, at)) });
  }
}

/** A diagnostic of the patched document, placed in the file as written (by its pointer), or only in the file. */
function atWritten(d: Diagnostic, at: ReturnType<typeof writtenPosition>): Diagnostic {
  const location = d.location;
  if (location === undefined || location.line === undefined) return d;
  const { line: _line, column: _column, ...rest } = location;
  return { ...d, location: { ...rest, ...(location.pointer === undefined ? {} : at(location.pointer)) } };
}

async function parseSource(source: SpecSource, options: ParseOptions): Promise<ParsedSpec> {
  await checkRefs(source.file, source.text, options.allowExternalRefs ?? false);
  const parser = await timed('parse: parser setup', () => createParser(options.precompiledSchema ?? true, source.text));
  const declared = declaredVersion(source.text);
  if (declared && isPre3(declared.version) && !declared.version.startsWith('1.')) {
    await parseText(parser, source, source.text, []).catch((error: unknown) => {
      throw isCodegenError(error) ? forVersion(error, declared.version) : error;
    });
  }
  if (declared && isPre3(declared.version)) {
    const { text, notes } = await convertToV3(source, declared);
    const { document, warnings } = await parseConverted(parser, source, text, notes);
    return { source, document, diagnostics: [...notes, ...warnings] };
  }
  const { document, warnings } = await parseText(parser, source, source.text, []);
  const version = document.version();
  if (!version.startsWith('3.')) {
    throw new CodegenError({
      code: 'unsupported-version',
      message: `${source.file} is AsyncAPI ${version}; this generator reads AsyncAPI 3.x, and 2.x by converting it`,
      hint: 'convert it first: npx @asyncapi/cli convert <file> --target-version 3.0.0',
      location: { file: source.file, pointer: '/asyncapi' },
    });
  }
  return { source, document, diagnostics: warnings };
}

/**
 * The converted document, parsed. A 2.x document the parser accepted may fail as 3.0 only for its
 * bindings (the converter keeps their 2.x versions and fields): those are left out with a warning
 * each, and the rest is parsed again. Any other error stands.
 */
async function parseConverted(parser: Parser, source: SpecSource, text: string, notes: readonly Diagnostic[]): Promise<{ document: AsyncAPIDocumentInterface; warnings: Diagnostic[] }> {
  try {
    return await parseText(parser, source, text, notes);
  } catch (error) {
    if (!isCodegenError(error)) throw error;
    const errors = error.diagnostics.filter((d) => d.severity === 'error');
    const bindings = errors.map((d) => bindingOf(d.location?.pointer));
    if (errors.length === 0 || bindings.some((b) => b === undefined)) throw error;
    const dropped = [...new Set(bindings as string[])].sort();
    const warnings = dropped.map(
      (pointer): Diagnostic => ({
        severity: 'warning',
        code: 'conversion-loss',
        message: `conversion: the binding at ${pointer} is not valid in AsyncAPI 3.0 (${errors
          .filter((d) => bindingOf(d.location?.pointer) === pointer)
          .map((d) => d.message)
          .join('; ')}); it is left out (the generated code does not use bindings)`,
        hint: 'give the binding a bindingVersion and fields that AsyncAPI 3.0 knows, or convert the document yourself and fix it there',
        location: { file: source.file, pointer },
      }),
    );
    const parsed = await parseText(parser, source, withoutBindings(text, new Set(dropped)), [...notes, ...warnings]);
    return { document: parsed.document, warnings: [...warnings, ...parsed.warnings] };
  }
}

/** Errors in a 2.x document as written: the hints link the specification of its own version. */
function forVersion(error: CodegenError, version: string): CodegenError {
  const link = `AsyncAPI ${version.replace(/\.\d+$/, '')} specification: https://www.asyncapi.com/docs/reference/specification/v${version}`;
  const diagnostics = error.diagnostics.map((d) => (d.hint ? { ...d, hint: d.hint.replace(/AsyncAPI 3\.0 specification: \S+/, link) } : d));
  return new CodegenError({ code: error.code, message: error.message, location: error.location, diagnostics });
}

/** The configured parser; `precompiledSchema: false` leaves its document-structure rules as they are. */
export async function createParser(precompiledSchema: boolean, text?: string): Promise<Parser> {
  const wanted = (mime: string): boolean => text === undefined || EXTERNAL_REF.test(text) || text.toLowerCase().includes(mime);
  // Payloads in Avro, OpenAPI or Protobuf schemas are turned into JSON Schema by the parser. Each
  // parser is loaded only for a document that names its schema format (all of them when a $ref
  // leaves the document, whose files could name one): 20 ms or so each, on every cold run.
  const [{ Parser }, ...schemaParsers] = await Promise.all([
    import('@asyncapi/parser'),
    wanted('vnd.apache.avro') ? import('@asyncapi/avro-schema-parser').then((m) => m.AvroSchemaParser()) : undefined,
    wanted('vnd.oai.openapi') ? import('@asyncapi/openapi-schema-parser').then((m) => m.OpenAPISchemaParser()) : undefined,
    wanted('vnd.google.protobuf') ? import('@asyncapi/protobuf-schema-parser').then((m) => m.ProtoBuffSchemaParser()) : undefined,
  ]);
  // The document-structure rules with the schema the build compiled, not compiled again by Ajv.
  const ruleset = precompiledSchema ? structureRules() : undefined;
  return new Parser({ schemaParsers: schemaParsers.filter((p) => p !== undefined), ...(ruleset ? { ruleset } : {}) });
}

/** A `$ref` to anything but a place in this document. */
const EXTERNAL_REF = /["']?\$ref["']?\s*:\s*(?!["']?#)\S/;

/** One parse; `notes` (the conversion note) lead the diagnostics of a failure, so its positions are explained. */
async function parseText(parser: Parser, source: SpecSource, text: string, notes: readonly Diagnostic[]): Promise<{ document: AsyncAPIDocumentInterface; warnings: Diagnostic[] }> {
  const parsing = timed('parse: @asyncapi/parser', () => parser.parse(text, { source: path.resolve(source.file) }));
  const { document, diagnostics: raw } = await parsing.catch((error: unknown) => {
    // The parser reads recursively: a document nested past what limits.ts catches ends here.
    if (!(error instanceof RangeError)) throw error;
    throw new CodegenError({
      code: 'too-deep',
      message: `${source.file} nests too deeply to read (${error.message})`,
      hint: 'split deeply nested schemas with $ref',
      location: { file: source.file },
    });
  });
  const diagnostics = raw.map((d) => toDiagnostic(d, source.file)).filter((d): d is Diagnostic => d !== undefined);
  const all = diagnostics.filter((d) => d.severity === 'error');
  // A syntax error makes every other complaint a consequence of it: show the cause alone.
  const syntax = all.filter((d) => d.code === 'parser');
  // The parser reads JSON as YAML and words a JSON mistake as a YAML one; JSON's own words say it better.
  const json = syntax.length > 0 && text === source.text && looksLikeJson(source) ? jsonSyntaxError(source) : undefined;
  const errors = json ? [json] : syntax.length > 0 ? syntax : all;
  if (!document || errors.length > 0) {
    const first = errors[0];
    throw new CodegenError({
      code: first?.code ?? 'invalid-spec',
      message: first ? `${source.file} is not a valid AsyncAPI document (${errors.length} error${errors.length === 1 ? '' : 's'})` : `${source.file} could not be parsed`,
      location: { file: source.file },
      diagnostics: [...notes, ...(errors.length > 0 ? errors : [{ severity: 'error' as const, code: 'invalid-spec', message: 'the parser returned no document', location: { file: source.file } }])],
    });
  }
  resolveLeftoverRefs(document.json());
  return { document, warnings: diagnostics.filter((d) => d.severity !== 'error') };
}

/** The parser's `info`/`hint` chatter (such as "a newer AsyncAPI version exists") is dropped. */
function toDiagnostic(d: ParserDiagnostic, file: string): Diagnostic | undefined {
  const severity = SEVERITIES[d.severity];
  if (severity === undefined || severity === 'info') return undefined;
  const pointer = pointerOf(d.path);
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
