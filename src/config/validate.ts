/**
 * Checks a config object as a whole and reports every problem at once, each with its JSON pointer
 * and a hint naming the valid keys or values. Pure: paths are resolved by the loader.
 */
import path from 'node:path';
import type { GenerationOptions } from '../generate.js';
import type { Config, SpecConfig } from './define.js';
import { GENERATION_OPTIONS, OPTION_KEYS } from './options.js';
import { escapeSegment as escape } from '../pointer.js';

export interface ConfigProblem {
  readonly pointer: string;
  readonly message: string;
  readonly hint: string;
}

const TOP_KEYS = ['$schema', 'options', 'specs'] as const;
const ENTRY_KEYS = ['spec', 'output', ...OPTION_KEYS] as const;
const EXAMPLE = '{ "specs": [{ "spec": "specs/orders.yaml", "output": "generated/orders" }] }';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Edit distance (Levenshtein), for "did you mean" hints. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** `valid keys: …`, led by the closest valid key when the wrong one looks like a typo. */
function keyHint(key: string, valid: readonly string[]): string {
  const close = valid.find((v) => v.toLowerCase() === key.toLowerCase()) ?? valid.find((v) => distance(v.toLowerCase(), key.toLowerCase()) <= 2);
  const list = `valid keys: ${valid.join(', ')}`;
  return close ? `did you mean "${close}"? ${list}` : list;
}

/** Checks the option keys of `value` (top-level `options` or one spec entry) into `into`. */
function checkOptions(value: Record<string, unknown>, at: string, into: Record<string, unknown>, problems: ConfigProblem[]): void {
  for (const key of OPTION_KEYS) {
    if (!(key in value) || value[key] === undefined) continue;
    const checked = GENERATION_OPTIONS[key].check(value[key]);
    if (checked.ok) into[key] = checked.value;
    else for (const issue of checked.issues) problems.push({ pointer: `${at}/${key}${issue.at}`, message: issue.message, hint: issue.hint });
  }
}

function unknownKeys(value: Record<string, unknown>, at: string, where: string, valid: readonly string[], problems: ConfigProblem[]): void {
  for (const key of Object.keys(value)) {
    if (!valid.includes(key)) problems.push({ pointer: `${at}/${escape(key)}`, message: `unknown key "${key}" in ${where}`, hint: keyHint(key, valid) });
  }
}

export function checkConfig(raw: unknown): { readonly config?: Config; readonly problems: readonly ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (!isObject(raw)) return { problems: [{ pointer: '', message: 'the config must be an object', hint: `e.g. ${EXAMPLE}` }] };
  unknownKeys(raw, '', 'the config', TOP_KEYS, problems);

  const options: Record<string, unknown> = {};
  if (raw.options !== undefined) {
    if (!isObject(raw.options)) {
      problems.push({ pointer: '/options', message: '"options" must be an object', hint: `its keys: ${OPTION_KEYS.join(', ')}` });
    } else {
      unknownKeys(raw.options, '/options', '"options"', OPTION_KEYS, problems);
      checkOptions(raw.options, '/options', options, problems);
    }
  }

  const specs: SpecConfig[] = [];
  if (!Array.isArray(raw.specs) || raw.specs.length === 0) {
    problems.push({ pointer: '/specs', message: '"specs" must be a non-empty list', hint: `e.g. ${EXAMPLE}` });
  } else {
    const outputs = new Map<string, number>();
    raw.specs.forEach((entry: unknown, i) => {
      const at = `/specs/${i}`;
      if (!isObject(entry)) {
        problems.push({ pointer: at, message: `specs[${i}] must be an object`, hint: `e.g. ${EXAMPLE}` });
        return;
      }
      unknownKeys(entry, at, `specs[${i}]`, ENTRY_KEYS, problems);
      const spec = entry.spec;
      const output = entry.output;
      if (typeof spec !== 'string' || spec === '')
        problems.push({ pointer: `${at}/spec`, message: `specs[${i}].spec must be the path of an AsyncAPI document`, hint: 'e.g. "spec": "specs/orders.yaml", relative to the config file' });
      if (typeof output !== 'string' || output === '') {
        problems.push({ pointer: `${at}/output`, message: `specs[${i}].output must be a folder path`, hint: 'e.g. "output": "generated/orders", relative to the config file' });
      } else {
        const normal = path.normalize(output).replace(/[\\/]+$/, '');
        const earlier = outputs.get(normal);
        if (earlier !== undefined) problems.push({ pointer: `${at}/output`, message: `specs[${i}] writes into "${output}", as specs[${earlier}] does`, hint: 'each spec needs its own output folder' });
        else outputs.set(normal, i);
      }
      const own: Record<string, unknown> = {};
      checkOptions(entry, at, own, problems);
      if (typeof spec === 'string' && typeof output === 'string') specs.push({ ...(own as GenerationOptions), spec, output });
    });
  }
  if (problems.length > 0) return { problems };
  return { config: { options: options as GenerationOptions, specs }, problems };
}
