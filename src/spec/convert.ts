/**
 * AsyncAPI 1.x/2.x input, converted to 3.0.0 in memory with @asyncapi/converter before the real
 * parse. Lines and columns of later diagnostics then refer to the converted document, which the
 * note says; the original file is never rewritten.
 */
import { CodegenError, type Diagnostic } from '../errors.js';
import type { SpecSource } from './load.js';
import type { ConvertOptions } from '@asyncapi/converter';
import { isMap, parseDocument } from 'yaml';
import { unescapeSegment } from '../pointer.js';

/** The `asyncapi` version a document declares, read from its text (it may not parse yet). */
export function declaredVersion(text: string): { readonly version: string; readonly line: number; readonly column: number } | undefined {
  const match = /^([ \t]*|[ \t]*\{\s*)["']?asyncapi["']?\s*:\s*["']?(\d+\.\d+\.\d+[^"'\s,}]*)/m.exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index + (match[1]?.length ?? 0)).split('\n');
  return { version: match[2] ?? '', line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

export function isPre3(version: string): boolean {
  return /^[12]\./.test(version);
}

/** Converter messages that never matter here: v3 parameters are strings, so `type: string` is no loss. */
const HARMLESS = /^- schema\.type with value: "string" are no longer supported$/;

type IdRequest = Parameters<NonNullable<NonNullable<ConvertOptions['v2tov3']>['idGenerator']>>[0];

/**
 * The converter's ids, except that a message referenced from `components.messages` keeps its key
 * there (`lightMeasured`) instead of becoming `<operationId>.message`: the name its author knows.
 */
function idGenerator({ kind, key, object, parentId }: IdRequest): string {
  const record = (typeof object === 'object' && object !== null ? object : {}) as Record<string, unknown>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  if (kind === 'channel') return text(record['x-channelId']) ?? String(key);
  if (kind === 'operation') return text(record.operationId) ?? (parentId ? `${parentId}.${String(key)}` : kind);
  const component = /^#\/components\/messages\/([^/]+)$/.exec(text(record.$ref) ?? '')?.[1];
  if (component !== undefined) return unescapeSegment(component, true);
  const fallback = `${(parentId ?? '').split('.').pop() ?? ''}.message`;
  return text(record.messageId) ?? (typeof key === 'number' ? `${fallback}.${key}` : fallback);
}

export interface Converted {
  readonly text: string;
  readonly notes: readonly Diagnostic[];
}

export async function convertToV3(source: SpecSource, from: NonNullable<ReturnType<typeof declaredVersion>>): Promise<Converted> {
  const { convert } = await import('@asyncapi/converter');
  const location = { file: source.file, line: from.line, column: from.column, pointer: '/asyncapi' };
  // The converter reports lossy steps with console.warn; they become warnings instead of stray output.
  const said: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void said.push(args.map(String).join(' '));
  let converted: unknown;
  try {
    converted = convert(source.text, '3.0.0', { v2tov3: { idGenerator } });
  } catch (error) {
    throw new CodegenError({
      code: 'conversion-failed',
      message: `cannot convert ${source.file} from AsyncAPI ${from.version} to 3.0.0: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'check the document against its AsyncAPI version, or convert it yourself: npx @asyncapi/cli convert <file> --target-version 3.0.0',
      location,
    });
  } finally {
    console.warn = warn;
  }
  const text = withEmptyOperations(typeof converted === 'string' ? converted : `${JSON.stringify(converted, null, 2)}\n`);
  const notes: Diagnostic[] = [
    {
      severity: 'info',
      code: 'converted',
      message: `converted from AsyncAPI ${from.version} to 3.0.0 before parsing; lines and columns of the other diagnostics refer to the converted document`,
      hint: `run \`npx @asyncapi/cli convert ${source.file} --target-version 3.0.0\` to keep a 3.0 copy`,
      location,
    },
  ];
  for (const message of said) {
    const lines = message.split('\n');
    const kept = lines.filter((l) => !HARMLESS.test(l));
    if (kept.length < lines.length && kept.every((l) => !l.startsWith('- '))) continue;
    notes.push({ severity: 'warning', code: 'conversion-loss', message: `conversion: ${kept.join(' ')}`, hint: 'check the converted document for what was dropped', location });
  }
  return { text, notes };
}

/**
 * A 2.x operation without `message` carries none; the converter writes such an operation without
 * `messages`, which in 3.0 means every message of its channel. `messages: []` keeps its meaning.
 */
function withEmptyOperations(text: string): string {
  const document = parseDocument(text);
  const operations = document.get('operations');
  if (!isMap(operations)) return text;
  let changed = false;
  for (const pair of operations.items) {
    if (isMap(pair.value) && !pair.value.has('messages')) {
      pair.value.set('messages', document.createNode([]));
      changed = true;
    }
  }
  return changed ? document.toString() : text;
}

/** The pointer of the binding object a diagnostic points into (`/channels/a/bindings/amqp/is` → `/channels/a/bindings/amqp`). */
export function bindingOf(pointer: string | undefined): string | undefined {
  return pointer === undefined ? undefined : /^(.*\/bindings\/[^/]+)(?:\/.*)?$/.exec(pointer)?.[1];
}

/**
 * The converted text without the bindings at `pointers`. The converter copies a 2.x binding as it
 * is, with its 2.x `bindingVersion` and fields, and AsyncAPI 3.0's schemas for that binding may
 * refuse it; the generator does not read bindings, so leaving one out loses nothing it emits.
 */
export function withoutBindings(text: string, pointers: ReadonlySet<string>): string {
  const document = parseDocument(text);
  for (const pointer of pointers)
    document.deleteIn(
      pointer
        .split('/')
        .slice(1)
        .map((s) => unescapeSegment(s)),
    );
  return document.toString();
}
