/** `codegen.config.json`: found by walking up from the working directory; paths are relative to it. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CodegenError } from '../errors.js';

export const CONFIG_FILE = 'codegen.config.json';

export interface SpecConfig {
  /** Path of the spec, resolved against the config file's folder. */
  readonly spec: string;
  /** Output folder, resolved against the config file's folder. */
  readonly output: string;
}

export interface Config {
  readonly file: string;
  readonly specs: readonly SpecConfig[];
}

export async function findConfig(from: string): Promise<string | undefined> {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (await readFile(candidate).then(() => true, () => false)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function fail(file: string, pointer: string, message: string, hint: string): never {
  throw new CodegenError({ code: 'invalid-config', message, hint, location: { file, pointer } });
}

export async function loadConfig(file: string): Promise<Config> {
  const shown = path.relative(process.cwd(), file) || file;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    fail(shown, '', `${shown} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, 'fix the JSON syntax');
  }
  const example = '{ "specs": [{ "spec": "specs/orders.yaml", "output": "generated/orders" }] }';
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(shown, '', `${shown} must hold an object`, `e.g. ${example}`);
  const top = raw as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (key !== 'specs' && key !== '$schema') fail(shown, `/${key}`, `unknown key "${key}" in ${shown}`, 'the keys are: specs');
  }
  if (!Array.isArray(top.specs) || top.specs.length === 0) fail(shown, '/specs', `"specs" in ${shown} must be a non-empty list`, `e.g. ${example}`);
  const base = path.dirname(file);
  const specs = top.specs.map((entry: unknown, i: number): SpecConfig => {
    const at = `/specs/${i}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(shown, at, `specs[${i}] must be an object`, `e.g. ${example}`);
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
      if (key !== 'spec' && key !== 'output') fail(shown, `${at}/${key}`, `unknown key "${key}" in specs[${i}]`, 'each spec entry has "spec" and "output"');
    }
    if (typeof e.spec !== 'string' || e.spec === '') fail(shown, `${at}/spec`, `specs[${i}].spec must be the path of an AsyncAPI document`, `e.g. ${example}`);
    if (typeof e.output !== 'string' || e.output === '') fail(shown, `${at}/output`, `specs[${i}].output must be a folder path`, `e.g. ${example}`);
    return { spec: path.resolve(base, e.spec), output: path.resolve(base, e.output) };
  });
  return { file, specs };
}
