/**
 * Patches to a vendor's spec (RFC 6902 JSON Patch, from the config): applied to the document as
 * written, before anything parses it, so a user can accept what the vendor really sends (`null`
 * where the schema says string) without editing the vendor's file. The patched document is what
 * the parser reads; positions in diagnostics still come from the file as written, where the place
 * exists there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getLocationForJsonPath, parse as parseYaml, parseWithPointers } from '@stoplight/yaml';
import type { Operation } from 'fast-json-patch';
import { locateJson } from '../config/locate.js';
import { CodegenError, shown, type Diagnostic, type Location } from '../errors.js';
import type { PatchOperation, SpecPatches } from '../options.js';
import { unescapeSegment } from '../pointer.js';
import type { AppliedPatch, SpecSource } from './load.js';

type Patches = readonly PatchOperation[] | SpecPatches;

function normalised(patches: Patches): SpecPatches | { readonly source: undefined; readonly at: string; readonly operations: readonly PatchOperation[] } {
  return 'operations' in patches ? patches : { source: undefined, at: '/patches', operations: patches };
}

/** Why an operation failed, in the words a user fixing the patch needs. */
const REASONS: Readonly<Record<string, { readonly reason: (op: PatchOperation) => string; readonly hint: string }>> = {
  OPERATION_PATH_UNRESOLVABLE: {
    reason: (op) => `the spec has nothing at ${op.path}`,
    hint: "check the pointer against the vendor's spec; a new version of it may have moved or fixed what the patch changes",
  },
  OPERATION_PATH_CANNOT_ADD: {
    reason: (op) => `the spec has no parent of ${op.path} to add to`,
    hint: 'an add needs the object or array that holds the new member to exist',
  },
  OPERATION_FROM_UNRESOLVABLE: {
    reason: (op) => `the spec has nothing at ${op.from ?? ''} to ${op.op} from`,
    hint: "check the pointer against the vendor's spec",
  },
  OPERATION_VALUE_OUT_OF_BOUNDS: {
    reason: (op) => `${op.path} is past the end of its array`,
    hint: 'use "-" as the last segment to append to an array',
  },
  TEST_OPERATION_FAILED: {
    reason: (op) => `the spec's value at ${op.path} is not the one the test expects`,
    hint: "the vendor's spec changed there: review the patches that follow this test against the new version",
  },
};

/** Where an operation is written: its config file, at its pointer in it. */
function origin(patches: ReturnType<typeof normalised>, index: number): { readonly file: string | undefined; readonly pointer: string; readonly name: string } {
  const pointer = `${patches.at}/${index}`;
  // `/specs/0/patches` → `specs[0].patches[2]`; a patch file's list is the whole file.
  const list = patches.at.replace(/^\/specs\/(\d+)\/patches$/, 'specs[$1].patches').replace(/^\/(options\/)?patches$/, (_m, options: string | undefined) => (options ? 'options.patches' : 'patches'));
  const name = patches.at === '' ? `operation ${index}` : `${list}[${index}]`;
  return { file: patches.source === undefined ? undefined : shown(patches.source), pointer, name };
}

/** Line and column of the operation in a JSON config; a config written as code has none to give. */
function configPosition(file: string | undefined, pointer: string): Pick<Location, 'line' | 'column'> {
  if (file === undefined || !file.endsWith('.json')) return {};
  try {
    return locateJson(readFileSync(file, 'utf8')).get(pointer) ?? {};
  } catch {
    return {};
  }
}

function summary(op: PatchOperation): string {
  const text = op.op === 'move' || op.op === 'copy' ? `${op.op} ${op.from ?? ''} to ${op.path}` : `${op.op} ${op.path}`;
  return text.replace(/[\r\n\u2028\u2029]/g, ' ');
}

/** The source with the patches applied, or the source itself when there are none. */
export async function patchSource(source: SpecSource, patches: Patches | undefined): Promise<SpecSource> {
  if (patches === undefined) return source;
  const list = normalised(patches);
  if (list.operations.length === 0) return source;
  const { applyPatch } = (await import('fast-json-patch')).default;
  // The same YAML reader as the parser's, so the document patched is the one it would have read.
  const document: unknown = parseYaml(source.text);
  const applied: AppliedPatch[] = [];
  list.operations.forEach((op, index) => {
    const where = origin(list, index);
    try {
      // One at a time, so a failure names its own operation; prototype keys stay banned.
      applyPatch(document, [op as Operation], true, true, true);
    } catch (error) {
      const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
      const known = REASONS[name];
      const reason = known ? known.reason(op) : error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      const location: Location = where.file === undefined ? { file: source.file } : { file: where.file, ...configPosition(list.source, where.pointer), pointer: where.pointer };
      throw new CodegenError({
        code: 'patch-failed',
        message: `${where.name} (${summary(op)}) cannot be applied to ${shown(source.file)}: ${reason}`,
        hint: known?.hint ?? 'see RFC 6902 for what each operation needs',
        location,
      });
    }
    applied.push({ summary: summary(op), source: where.file, pointer: where.pointer, name: where.name });
  });
  return { file: source.file, text: JSON.stringify(document, null, 2), written: source.written ?? source.text, patches: applied };
}

/** One line per applied patch, for the CLI: the output is not the vendor's spec verbatim. */
export function patchDiagnostics(source: SpecSource): Diagnostic[] {
  return (source.patches ?? []).map((p) => ({
    severity: 'info',
    code: 'spec-patched',
    message: `patched ${shown(source.file)}: ${p.summary} (${p.name})`,
    location: { file: p.source ?? source.file },
  }));
}

/** The lines the generated files' header adds for a patched spec; none for a spec used as written. */
export function patchNotes(source: SpecSource): string[] {
  const patches = source.patches ?? [];
  if (patches.length === 0) return [];
  const from = [...new Set(patches.map((p) => (p.source === undefined ? 'the generate() options' : path.basename(p.source))))].join(', ');
  return [`// Not the spec verbatim: patched before generation by ${from} (RFC 6902):`, ...patches.map((p) => `//   ${p.summary}`)];
}

/**
 * The position, in the file as written, of a place in the document parsed: the same place when
 * it is there, else the nearest place around it (a member a patch added shows at its parent).
 */
export function writtenPosition(source: SpecSource): (pointer: string) => Pick<Location, 'line' | 'column'> {
  if (source.written === undefined) return () => ({});
  const parsed = parseWithPointers(source.written);
  return (pointer) => {
    const segments =
      pointer === ''
        ? []
        : pointer
            .slice(1)
            .split('/')
            .map((s) => unescapeSegment(s));
    const where = getLocationForJsonPath(parsed, segments, true);
    return where ? { line: where.range.start.line + 1, column: where.range.start.character + 1 } : {};
  };
}
