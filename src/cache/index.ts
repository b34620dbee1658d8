/**
 * `generate` with an output cache. A spec already generated with the same options by the same
 * generator build skips the parser, Modelina and Ajv: its files and diagnostics come from the cache.
 * A new or changed document always goes through the whole pipeline, so its diagnostics are fresh.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { FileSet } from '../emit/fileset.js';
import type { GenerateOptions } from '../generate.js';
import { cacheKey } from './key.js';
import { cacheFolder, readEntry, writeEntry } from './store.js';

export interface CachedFiles {
  readonly files: FileSet;
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the files came from the cache. */
  readonly hit: boolean;
}

export interface CacheOptions {
  /** false: neither read nor write the cache (`--no-cache`); default: on unless `CODEGEN_CACHE=0`. */
  readonly cache?: boolean | undefined;
  /** Overrides the generator fingerprint (tests); default: the one the build wrote. */
  readonly fingerprint?: string | undefined;
  /** Overrides the cache folder; default: see `cacheFolder`. */
  readonly folder?: string | undefined;
}

/** `CODEGEN_CACHE=0` (or false, off, no) turns the cache off, e.g. for a CI job that wants every run cold. */
export function cacheEnabled(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (flag === false) return false;
  return !['0', 'false', 'off', 'no'].includes((env.CODEGEN_CACHE ?? '').trim().toLowerCase());
}

/**
 * The build writes dist/bundle/fingerprint.json: a hash of the bundled code and the templates, and
 * the packages whose installed files the generator reads at run time. Their versions join the hash
 * here, so updating one of them in node_modules also misses. No fingerprint (an unbundled run): no cache.
 */
let fingerprint: Promise<string | undefined> | undefined;

function packageVersion(require: NodeRequire, name: string): string {
  try {
    let dir = path.dirname(require.resolve(name));
    for (;;) {
      try {
        const pkg = require(path.join(dir, 'package.json')) as { name?: string; version?: string };
        if (pkg.name === name) return `${name}@${pkg.version ?? '?'}`;
      } catch {
        // no package.json at this level
      }
      const up = path.dirname(dir);
      if (up === dir) return `${name}@?`;
      dir = up;
    }
  } catch {
    return `${name}@missing`;
  }
}

export function generatorFingerprint(): Promise<string | undefined> {
  fingerprint ??= (async () => {
    // dist/bundle/ and src/cache/ are both two levels below the package root.
    const file = new URL('../../dist/bundle/fingerprint.json', import.meta.url);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    const { fingerprint: built, readAtRuntime } = JSON.parse(text) as { fingerprint?: unknown; readAtRuntime?: unknown };
    if (typeof built !== 'string') return undefined;
    const require = createRequire(file);
    const packages = Array.isArray(readAtRuntime) ? readAtRuntime.filter((p): p is string => typeof p === 'string') : [];
    return [built, ...packages.map((p) => packageVersion(require, p))].join(' ');
  })().catch(() => undefined);
  return fingerprint;
}

/** The files and diagnostics of `job`: from the cache when it holds them, else generated (and stored). */
export async function cachedFiles(job: GenerateOptions, options: CacheOptions = {}): Promise<CachedFiles> {
  const enabled = cacheEnabled(options.cache);
  const build = enabled ? (options.fingerprint ?? (await generatorFingerprint())) : undefined;
  const key = build === undefined ? undefined : await cacheKey(job, build).catch(() => undefined);
  const folder = key === undefined ? undefined : (options.folder ?? (await cacheFolder().catch(() => undefined)));
  if (key !== undefined && folder !== undefined) {
    const entry = await readEntry(folder, key);
    if (entry) {
      const files = new FileSet();
      for (const [rel, contents] of entry.files) files.add(rel, contents);
      return { files, diagnostics: entry.diagnostics, hit: true };
    }
  }
  const { generateFiles } = await import('../generate.js');
  const { files, diagnostics } = await generateFiles(job.spec, job);
  if (key !== undefined && folder !== undefined) {
    // A cache that cannot be written (read-only disk) only costs the next run its speed.
    await writeEntry(folder, key, { files: files.entries(), diagnostics }).catch(() => undefined);
  }
  return { files, diagnostics, hit: false };
}
