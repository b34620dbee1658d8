/**
 * The output cache on disk: one JSON file per key, in `node_modules/.cache/asyncapi-ts-codegen` of
 * the nearest package (or the user's cache folder outside any package). Entries are written to a
 * temporary file and renamed, so a reader sees a whole entry or none; anything unreadable is a miss.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';

export const CACHE_NAME = 'asyncapi-ts-codegen';

/** Entries kept; the least recently used beyond this are removed after each write. */
export const MAX_ENTRIES = 100;

const FORMAT = 1;

export interface CacheEntry {
  /** Relative POSIX paths to contents, as the FileSet held them. */
  readonly files: ReadonlyArray<readonly [string, string]>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Where entries live: the conventional folder of the project in `cwd`, else the OS cache folder. */
export async function cacheFolder(cwd = process.cwd()): Promise<string> {
  const [{ default: findCacheDirectory }, { default: envPaths }] = await Promise.all([import('find-cache-directory'), import('env-paths')]);
  return findCacheDirectory({ name: CACHE_NAME, cwd }) ?? envPaths(CACHE_NAME, { suffix: '' }).cache;
}

const entryFile = (folder: string, key: string): string => path.join(folder, `${key}.json`);

function isEntry(value: unknown): value is CacheEntry & { format: number } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { format?: unknown; files?: unknown; diagnostics?: unknown };
  return (
    v.format === FORMAT &&
    Array.isArray(v.files) &&
    v.files.every((f: unknown) => Array.isArray(f) && f.length === 2 && typeof f[0] === 'string' && typeof f[1] === 'string') &&
    Array.isArray(v.diagnostics) &&
    v.diagnostics.every((d: unknown) => typeof d === 'object' && d !== null && typeof (d as Diagnostic).message === 'string')
  );
}

/** The entry of `key`, or undefined when there is none or it cannot be read whole. */
export async function readEntry(folder: string, key: string): Promise<CacheEntry | undefined> {
  const file = entryFile(folder, key);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isEntry(value)) return undefined;
  // Marks it recently used, so pruning keeps the entries a project still needs.
  const now = new Date();
  await utimes(file, now, now).catch(() => undefined);
  return { files: value.files, diagnostics: value.diagnostics };
}

/** Stores an entry whole (temporary file, then rename) and prunes the folder. */
export async function writeEntry(folder: string, key: string, entry: CacheEntry, max = MAX_ENTRIES): Promise<void> {
  await mkdir(folder, { recursive: true });
  const temp = path.join(folder, `.${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, JSON.stringify({ format: FORMAT, files: entry.files, diagnostics: entry.diagnostics }));
    await rename(temp, entryFile(folder, key));
  } finally {
    await rm(temp, { force: true });
  }
  await prune(folder, max);
}

/** Keeps the `max` most recently used entries; other processes may be pruning too, so misses are fine. */
export async function prune(folder: string, max = MAX_ENTRIES): Promise<void> {
  const all = await readdir(folder).catch(() => [] as string[]);
  // Temporary files of writers killed before their rename; old enough not to be a live writer's.
  for (const name of all.filter((n) => n.startsWith('.') && n.endsWith('.tmp'))) {
    const info = await stat(path.join(folder, name)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 10 * 60_000) await rm(path.join(folder, name), { force: true });
  }
  const names = all.filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  if (names.length <= max) return;
  const dated = await Promise.all(names.map(async (name) => ({ name, time: (await stat(path.join(folder, name)).catch(() => undefined))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => b.time - a.time || (a.name < b.name ? -1 : 1));
  await Promise.all(dated.slice(max).map(({ name }) => rm(path.join(folder, name), { force: true })));
}
