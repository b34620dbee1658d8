/**
 * What a command works on: one spec named on the command line, or every spec of the config. Options
 * merge in one order everywhere: config `options` < the spec's entry < command-line flags.
 */
import path from 'node:path';
import { CodegenError, shown } from '../errors.js';
import type { GenerateOptions, GenerationOptions } from '../generate.js';
import { fileName } from '../ir/naming.js';
import { CONFIG_FILE, findConfig, loadConfig, type LoadedConfig } from './load.js';

export interface JobsRequest {
  /** A spec named on the command line; the config is then not read. */
  readonly spec?: string | undefined;
  readonly output?: string | undefined;
  /** Options given as flags: they win over the config for every spec. */
  readonly flags?: GenerationOptions | undefined;
  readonly cwd?: string | undefined;
}

export interface Jobs {
  /** The config file the jobs came from, absolute; undefined for a spec named on the command line. */
  readonly config?: string | undefined;
  readonly jobs: readonly GenerateOptions[];
}

/** `specs/orders.asyncapi.yaml` → `generated/orders`. */
export function defaultOutput(spec: string): string {
  const base = path.basename(spec).replace(/\.(asyncapi\.)?(ya?ml|json)$/i, '');
  return path.join('generated', fileName(base));
}

/** The config's specs as `generate()` options, paths relative to `cwd` so that messages show them so. */
export function jobsFromConfig(config: LoadedConfig, flags: GenerationOptions = {}, cwd = process.cwd()): GenerateOptions[] {
  return config.specs.map(({ spec, output, ...own }) => ({
    ...config.options,
    ...own,
    ...flags,
    spec: shown(spec, cwd),
    output: shown(output, cwd),
  }));
}

export async function resolveJobs(request: JobsRequest): Promise<Jobs> {
  const flags = request.flags ?? {};
  if (request.spec !== undefined) {
    // A spec the config lists is generated as the config says (its options, its output folder),
    // so `codegen specs/a.yaml` and `codegen` write the same files where `check` expects them.
    const listed = await configEntry(request.spec, request.cwd ?? process.cwd());
    if (listed) return { config: listed.config, jobs: [{ ...listed.job, ...flags, spec: request.spec, output: request.output ?? listed.job.output }] };
    return { jobs: [{ ...flags, spec: request.spec, output: request.output ?? defaultOutput(request.spec) }] };
  }
  if (request.output !== undefined) throw new CodegenError({ code: 'usage', message: '--output needs a spec', hint: 'codegen <command> <spec> -o <dir>' });
  const cwd = request.cwd ?? process.cwd();
  const file = await findConfig(cwd);
  if (!file) {
    throw new CodegenError({
      code: 'no-config',
      message: `no spec given and no ${CONFIG_FILE} (or .mjs, .ts) found in this folder or above`,
      hint: `name a spec (codegen generate <spec> -o <dir>), or create ${CONFIG_FILE}: { "specs": [{ "spec": "specs/orders.yaml", "output": "generated/orders" }] }`,
    });
  }
  return { config: file, jobs: jobsFromConfig(await loadConfig(file), flags, cwd) };
}

/**
 * The config entry of a spec named on the command line, if the nearest config lists it. A config
 * that cannot be read does not stop a command that named its spec: it is then not used.
 */
async function configEntry(spec: string, cwd: string): Promise<{ readonly config: string; readonly job: GenerateOptions } | undefined> {
  try {
    const file = await findConfig(cwd);
    if (!file) return undefined;
    const config = await loadConfig(file);
    const wanted = path.resolve(cwd, spec);
    const index = config.specs.findIndex((entry) => path.resolve(entry.spec) === wanted);
    const job = index < 0 ? undefined : jobsFromConfig(config, {}, cwd)[index];
    return job ? { config: file, job } : undefined;
  } catch {
    return undefined;
  }
}
