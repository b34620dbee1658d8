/**
 * The cache key of one generation: everything its output depends on. Two runs with the same key
 * produce the same files and diagnostics, so the second may reuse the first's.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { runtimeImport } from '../emit/runtime-path.js';
import type { GenerateOptions } from '../generate.js';
import { localRefs } from '../spec/refs.js';

/** Bumped when the entry format or what the key covers changes. */
const KEY_VERSION = 'codegen-cache-1';

/** Files `localRefs` follows at most; a spec that reaches it may pull in more than we hashed. */
const REF_LIMIT = 200;

/** A `$ref` whose target has a URL scheme (`https:`, `file:`…): content we cannot hash here. */
const REMOTE_REF = /["']?\$ref["']?\s*:\s*["']?[a-z][a-z0-9+.-]*:/i;

/** JSON with object keys sorted at every level, so `{a, b}` and `{b, a}` hash alike. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Length-prefixed, so no two different sequences of parts hash alike. */
function hashParts(parts: ReadonlyArray<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(`${Buffer.byteLength(part)}:`);
    hash.update(part);
  }
  return hash.digest('hex');
}

/** The user's partials: a folder of `.hbs` files whose bytes shape client.ts. */
async function templateParts(folder: string | undefined): Promise<Array<string | Buffer>> {
  if (folder === undefined) return [];
  const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.hbs')).sort();
  const parts: Array<string | Buffer> = [];
  for (const name of names) parts.push(name, await readFile(path.join(folder, name)));
  return parts;
}

/**
 * The key of generating `job` with the generator `fingerprint`, or undefined when the output may
 * depend on something we cannot hash: a `$ref` to a URL, or more referenced files than we follow.
 * An unreadable spec gives undefined too; generating then reports it properly.
 */
export async function cacheKey(job: GenerateOptions, fingerprint: string, cwd = process.cwd()): Promise<string | undefined> {
  const spec = await readFile(job.spec).catch(() => undefined);
  if (spec === undefined || REMOTE_REF.test(spec.toString('utf8'))) return undefined;
  const refs = await localRefs(job.spec, REF_LIMIT);
  if (refs.length >= REF_LIMIT - 1) return undefined;
  // Where the files go does not change what they are, except the import path of a shared runtime.
  // postProcess runs after the cache on every run (src/emit/postprocess.ts): the formatter's own
  // settings are not something we could hash, so the cache holds the files before it.
  const { output, postProcess: _formatter, ...options } = job;
  // Diagnostics name files relative to the working folder, so it is part of what they are.
  const parts: Array<string | Buffer> = [KEY_VERSION, fingerprint, cwd, stableJson(options), runtimeImport(output, job.runtime), spec];
  for (const file of refs) {
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes !== undefined && REMOTE_REF.test(bytes.toString('utf8'))) return undefined;
    parts.push(path.relative(path.dirname(path.resolve(job.spec)), file), bytes ?? '\0missing');
  }
  parts.push(...(await templateParts(job.templates)));
  return hashParts(parts);
}
