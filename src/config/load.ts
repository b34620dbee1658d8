/**
 * `codegen.config.*`: found by walking up from the working directory; paths in it are relative to
 * its folder. JSON is read as data; `.mjs`/`.js` are imported; `.ts`/`.mts` are loaded with jiti.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodegenError, shown, type Diagnostic } from '../errors.js';
import type { GenerationOptions } from '../generate.js';
import type { SpecConfig } from './define.js';
import { jsonSyntaxError, locateJson, type Position } from './locate.js';
import { GENERATION_OPTIONS, OPTION_KEYS } from './options.js';
import { checkConfig } from './validate.js';

export const CONFIG_FILES = ['codegen.config.json', 'codegen.config.mjs', 'codegen.config.js', 'codegen.config.ts', 'codegen.config.mts'] as const;
/** The name shown in messages. */
export const CONFIG_FILE = 'codegen.config.json';

/** A config with every path absolute. */
export interface LoadedConfig {
  readonly file: string;
  readonly options: GenerationOptions;
  readonly specs: readonly SpecConfig[];
}

/** The nearest folder with a config file; two config files in one folder is an error, not a guess. */
export async function findConfig(from: string): Promise<string | undefined> {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const names = new Set(await readdir(dir).catch(() => [] as string[]));
    const present = CONFIG_FILES.filter((name) => names.has(name));
    if (present.length > 1) {
      throw new CodegenError({
        code: 'ambiguous-config',
        message: `${shown(dir)} has ${present.length} config files: ${present.join(', ')}`,
        hint: 'keep one of them',
        location: { file: shown(path.join(dir, present[0] ?? '')) },
      });
    }
    const [name] = present;
    if (
      name !== undefined &&
      (await stat(path.join(dir, name)).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      return path.join(dir, name);
    if (path.dirname(dir) === dir) return undefined;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/**
 * The place in the config file an error names: a thrown error's stack frame (a file URL, 1-based
 * column) or jiti's syntax error (a plain path, 0-based column).
 */
function whereIn(file: string, error: unknown): { line: number; column: number } | undefined {
  const text = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : '';
  const url = pathToFileURL(file).href;
  for (const [needle, shift] of [
    [url, 0],
    [file, 1],
  ] as const) {
    const at = text.indexOf(needle);
    const match = at >= 0 ? /^(?:\?v=[\d.]+)?:(\d+):(\d+)/.exec(text.slice(at + needle.length)) : null;
    if (match) return { line: Number(match[1]), column: Number(match[2]) + shift };
  }
  return undefined;
}

async function readRaw(file: string): Promise<{ raw: unknown; positions?: Map<string, Position> }> {
  const name = shown(file);
  if (file.endsWith('.json')) {
    const text = await readFile(file, 'utf8');
    try {
      const raw: unknown = JSON.parse(text);
      return { raw, positions: locateJson(text) };
    } catch (error) {
      const { message, position } = jsonSyntaxError(text, error);
      throw new CodegenError({
        code: 'invalid-config',
        message: `${name} is not valid JSON: ${message}`,
        hint: 'fix the JSON syntax (no comments, no trailing commas)',
        location: { file: name, ...position },
      });
    }
  }
  try {
    // A query that changes with the file busts import()'s cache, so `watch` sees edits.
    const version = (await stat(file)).mtimeMs;
    const loaded: unknown = /\.m?ts$/.test(file)
      ? await (await import('jiti')).createJiti(import.meta.url, { moduleCache: false }).import(file)
      : await import(`${pathToFileURL(file).href}?v=${version}`);
    const raw: unknown = await (loaded as { default?: unknown }).default;
    if (raw === undefined)
      throw new CodegenError({ code: 'invalid-config', message: `${name} has no default export`, hint: 'export default defineConfig({ specs: [...] })', location: { file: name } });
    return { raw };
  } catch (error) {
    if (error instanceof CodegenError) throw error;
    throw new CodegenError({
      code: 'config-load-failed',
      message: `cannot load ${name}: ${firstLine(error).trim()}`,
      hint: 'fix the error in the config file; it must `export default` the config',
      location: { file: name, ...whereIn(file, error) },
    });
  }
}

/** A missing key has no position: point at the object that lacks it. */
function nearest(positions: Map<string, Position>, pointer: string): Position | undefined {
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    const found = positions.get(p);
    if (found || p === '') return found;
  }
}

function resolveOptions(options: GenerationOptions, base: string): GenerationOptions {
  const result: Record<string, unknown> = { ...options };
  for (const key of OPTION_KEYS) {
    const value = result[key];
    if ('isPath' in GENERATION_OPTIONS[key] && typeof value === 'string') result[key] = path.resolve(base, value);
  }
  return result as GenerationOptions;
}

/** Reads and checks a config file; every problem in it is reported at once, then it fails. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const name = shown(file);
  const { raw, positions } = await readRaw(file);
  const { config, problems } = checkConfig(raw);
  if (!config) {
    const diagnostics = problems.map((p): Diagnostic => {
      const at = positions ? nearest(positions, p.pointer) : undefined;
      return { severity: 'error', code: 'invalid-config', message: p.message, hint: p.hint, location: { file: name, ...at, pointer: p.pointer } };
    });
    throw new CodegenError({
      code: 'invalid-config',
      message: `${name} has ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
      location: { file: name },
      diagnostics,
    });
  }
  const base = path.dirname(file);
  const loaded = {
    file,
    options: withOrigin(resolveOptions(config.options ?? {}, base), file, '/options/patches'),
    specs: config.specs.map((s, i) => ({ ...withOrigin(resolveOptions(s, base), file, `/specs/${i}/patches`), spec: path.resolve(base, s.spec), output: path.resolve(base, s.output) })),
  };
  sharedRuntimeAlike(loaded, positions);
  return loaded;
}

/** What a spec writes into every runtime file: specs that share one runtime folder must agree on it. */
const RUNTIME_SHAPING = ['header', 'importExtension', 'postProcess'] as const;

/** Two specs that share a runtime folder but not its header or import extension would rewrite its files in turn. */
function sharedRuntimeAlike(config: LoadedConfig, positions: Map<string, Position> | undefined): void {
  const first = new Map<string, number>();
  config.specs.forEach((entry, i) => {
    const runtime = entry.runtime ?? config.options.runtime;
    if (runtime === undefined) return;
    const earlier = first.get(runtime);
    if (earlier === undefined) {
      first.set(runtime, i);
      return;
    }
    const other = config.specs[earlier];
    for (const key of RUNTIME_SHAPING) {
      const value = (s: SpecConfig | undefined) => JSON.stringify(s?.[key] ?? config.options[key] ?? null);
      if (value(entry) === value(other)) continue;
      const name = shown(config.file);
      throw new CodegenError({
        code: 'invalid-config',
        message: `specs[${i}] and specs[${earlier}] share the runtime folder ${shown(runtime)} but not "${key}" (${value(entry)} and ${value(other)})`,
        hint: `set "${key}" once in "options" for both, or give them separate runtime folders`,
        location: { file: name, ...(positions ? nearest(positions, `/specs/${i}/${key}`) : undefined), pointer: `/specs/${i}/${key}` },
      });
    }
  });
}

/** Patches remember the config file and the place in it they came from, for errors and the output's header. */
function withOrigin<T extends GenerationOptions>(options: T, file: string, at: string): T {
  const { patches } = options;
  if (patches === undefined || !Array.isArray(patches)) return options;
  return { ...options, patches: { source: file, at, operations: patches } };
}
