/**
 * Which `$ref`s a spec may follow. By default only the document itself and files inside the
 * spec's own folder: a spec from another team must not make the generator read `~/.ssh` or fetch
 * a URL in CI. `allowExternalRefs` lifts both limits. The check walks the document and every local
 * file it pulls in before the parser sees any of them, so a refused ref is never read.
 */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { getLocationForJsonPath, parseWithPointers } from '@stoplight/yaml';
import { CodegenError, type Diagnostic } from '../errors.js';
import { checkLimits } from './limits.js';
import { classifyRef } from './refs.js';
import { pointerOf } from '../pointer.js';

/** A `$ref` whose value does not start with `#`, in JSON or YAML. */
const LEAVING_REF = /\$ref["']?\s*:\s*(?!["']?#)/;
/** Files walked at most; a spec with more local refs than this is checked as far as here. */
const MAX_FILES = 500;

interface Found {
  readonly ref: string;
  readonly path: readonly (string | number)[];
}

/** Every `$ref` string in a parsed document, with the path to it. */
function refsIn(node: unknown, at: (string | number)[] = [], out: Found[] = []): Found[] {
  if (Array.isArray(node)) {
    node.forEach((item, i) => refsIn(item, [...at, i], out));
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push({ ref: value, path: [...at, key] });
      else refsIn(value, [...at, key], out);
    }
  }
  return out;
}

/** The folder a path really lives in, following symlinks, so a link cannot lead out of the folder. */
async function real(target: string): Promise<string> {
  return realpath(target).catch(() => path.resolve(target));
}

function inside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Throws a CodegenError listing every refused `$ref` (file, line, column, pointer) unless
 * `allow` is set, and checks every local file the spec pulls in against the same size limits as
 * the spec. Documents that do not parse are left to the parser, which reports the syntax.
 */
export async function checkRefs(file: string, text: string, allow: boolean): Promise<void> {
  const root = path.resolve(file);
  const folder = await real(path.dirname(root));
  const display = (f: string): string => (f === root ? file : path.relative(process.cwd(), f) || '.');
  const refused: Diagnostic[] = [];
  const seen = new Set<string>([root]);
  const queue: Array<{ file: string; text: string | undefined }> = [{ file: root, text }];
  while (queue.length > 0 && seen.size <= MAX_FILES) {
    const current = queue.shift();
    if (!current) break;
    const source = current.text ?? (await readFile(current.file, 'utf8').catch(() => undefined));
    if (source === undefined) continue; // a missing file is the parser's to report
    // A file pulled in by $ref is read by the parser too, so it must pass the same limits.
    if (current.file !== root) await checkLimits({ file: display(current.file), text: source });
    // Most specs ref only into themselves (`#/…`, always quoted in YAML): no need to parse for that.
    if (!LEAVING_REF.test(source)) continue;
    const parsed = parseWithPointers(source);
    for (const found of refsIn(parsed.data)) {
      const target = classifyRef(found.ref, current.file);
      if (target.kind === 'internal') continue;
      if (target.kind === 'file' && (allow || inside(folder, await real(target.file)))) {
        if (!seen.has(target.file)) {
          seen.add(target.file);
          queue.push({ file: target.file, text: undefined });
        }
        continue;
      }
      if (allow) continue;
      const where = getLocationForJsonPath(parsed, [...found.path]);
      refused.push({
        severity: 'error',
        code: 'external-ref',
        message:
          target.kind === 'url'
            ? `$ref "${found.ref}" points at a URL; refs to URLs are not followed by default`
            : `$ref "${found.ref}" points outside the spec's folder (${display(path.dirname(root))}); such refs are not followed by default`,
        hint: 'copy what it points at into the spec\'s folder and $ref it by a relative path, or, if you trust that source, pass --allow-external-refs (config: "allowExternalRefs": true)',
        location: {
          file: display(current.file),
          ...(where ? { line: where.range.start.line + 1, column: where.range.start.character + 1 } : {}),
          pointer: pointerOf(found.path),
        },
      });
    }
  }
  if (refused.length > 0) {
    throw new CodegenError({
      code: 'external-ref',
      message: `${file} has ${refused.length} $ref${refused.length === 1 ? '' : 's'} that lead outside its folder`,
      location: { file },
      diagnostics: refused,
    });
  }
}
