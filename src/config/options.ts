/**
 * The generation options in one table. Config keys and CLI flags are both read from it, and the
 * table is typed over every key of `GenerationOptions`, so an option the generator gains fails the
 * type check here until it has a config check and a flag.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  FORMATTERS,
  IMPORT_EXTENSIONS,
  MODEL_STYLES,
  PATCH_OPS,
  SIDES,
  TRANSPORTS,
  type GenerationOptions,
  type ImportExtension,
  type PatchOperation,
  type PostProcess,
  type SpecPatches,
  type TransportName,
} from '../options.js';
import { FILTER_EXAMPLE, parseFilterPattern } from './filter.js';

/** What is wrong with one config value; `at` extends the key's JSON pointer (`/1` for a list item). */
export interface Issue {
  readonly at: string;
  readonly message: string;
  readonly hint: string;
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly Issue[] };

interface OptionSpec<T> {
  readonly flag: string;
  readonly description: string;
  /** Checks a value from a config file. */
  readonly check: (value: unknown) => Checked<T>;
  /** Turns what commander parsed into the option value. */
  readonly fromFlag: (value: unknown) => T;
  /** Extra commander setup: value parsing and choices, so a wrong flag value is a usage error (exit 2). */
  readonly configure?: (option: Option) => Option;
  /** A path: resolved against the config file's folder. */
  readonly isPath?: true;
  /** Shapes what is read (and so the diagnostics), not only what is written: `validate` takes it too. */
  readonly readsInput?: true;
}

type OptionSpecs = { readonly [K in keyof GenerationOptions]-?: OptionSpec<Exclude<GenerationOptions[K], undefined>> };

const quoted = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');
const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = <T>(message: string, hint: string, at = ''): Checked<T> => ({ ok: false, issues: [{ at, message, hint }] });
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function isTransport(value: unknown): value is TransportName {
  return typeof value === 'string' && (TRANSPORTS as readonly string[]).includes(value);
}

function checkTransports(value: unknown): Checked<readonly TransportName[]> {
  const hint = `valid transports: ${quoted(TRANSPORTS)}; [] for the in-memory transport only`;
  if (!Array.isArray(value)) return bad(`"transports" must be a list of transport names`, `e.g. ["nats", "kafka"]; ${hint}`);
  const issues: Issue[] = [];
  value.forEach((item: unknown, i) => {
    if (!isTransport(item)) issues.push({ at: `/${i}`, message: `unknown transport ${JSON.stringify(item)}`, hint });
  });
  return issues.length > 0 ? { ok: false, issues } : ok(value as TransportName[]);
}

/** `--transport nats,mqtt --transport kafka` → every name once, in the order given; `memory` (or `none`) → []: the in-memory transport is always there. */
function parseTransportFlag(value: string, previous: TransportName[] | undefined): TransportName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const result = [...(previous ?? [])];
  for (const name of names) {
    if (name === 'memory' || name === 'none') continue;
    if (!isTransport(name)) throw new InvalidArgumentError(`unknown transport "${name}"; valid: ${TRANSPORTS.join(', ')}, or memory for none of them`);
    if (!result.includes(name)) result.push(name);
  }
  return result;
}

function parseClientName(value: string): string {
  if (!IDENTIFIER.test(value)) throw new InvalidArgumentError(`"${value}" is not an identifier (e.g. Orders, which gives createOrdersClient)`);
  return value;
}

const PATCH_EXAMPLE = '[{ "op": "replace", "path": "/components/schemas/User/properties/idpId/type", "value": ["string", "null"] }]';

/** A list of RFC 6902 operations, each checked for the fields its `op` needs. */
function checkPatches(value: unknown): Checked<readonly PatchOperation[]> {
  if (!Array.isArray(value)) return bad('"patches" must be a list of JSON Patch (RFC 6902) operations', `e.g. ${PATCH_EXAMPLE}`);
  const issues: Issue[] = [];
  value.forEach((item: unknown, i) => {
    const at = `/${i}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      issues.push({ at, message: `patches[${i}] must be an object with "op" and "path"`, hint: `e.g. ${PATCH_EXAMPLE}` });
      return;
    }
    const { op, path, from } = item as Record<string, unknown>;
    if (typeof op !== 'string' || !(PATCH_OPS as readonly string[]).includes(op)) {
      issues.push({ at: `${at}/op`, message: `patches[${i}].op must be one of ${quoted(PATCH_OPS)}, not ${JSON.stringify(op)}`, hint: 'the operations of RFC 6902 (JSON Patch)' });
    }
    if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
      issues.push({ at: `${at}/path`, message: `patches[${i}].path must be a JSON pointer into the spec, not ${JSON.stringify(path)}`, hint: 'e.g. "/components/schemas/User/properties/idpId/type"' });
    }
    if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in item)) {
      issues.push({ at, message: `patches[${i}] (${op}) needs a "value"`, hint: `e.g. ${PATCH_EXAMPLE}` });
    }
    if ((op === 'move' || op === 'copy') && (typeof from !== 'string' || (from !== '' && !from.startsWith('/')))) {
      issues.push({ at: `${at}/from`, message: `patches[${i}] (${op}) needs "from", a JSON pointer into the spec`, hint: 'e.g. "from": "/components/schemas/Old"' });
    }
  });
  return issues.length > 0 ? { ok: false, issues } : ok(value as PatchOperation[]);
}

/** `--patches fixes.json`: a JSON file holding the list, read when the command starts. */
function readPatchFile(file: string): SpecPatches {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InvalidArgumentError(`cannot read the patch file ${file}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const checked = checkPatches(raw);
  if (!checked.ok) throw new InvalidArgumentError(`${file}: ${checked.issues.map((i) => i.message).join('; ')}`);
  return { source: file, at: '', operations: checked.value };
}

function checkFilter(value: unknown): Checked<readonly string[]> {
  const hint = `a list of globs: "channel:<id or address>", "operation:<id>", or a bare glob for either; "!" excludes; e.g. ${FILTER_EXAMPLE}`;
  if (!Array.isArray(value)) return bad('"filter" must be a list of patterns', hint);
  const issues: Issue[] = [];
  value.forEach((item: unknown, i) => {
    const parsed = typeof item === 'string' ? parseFilterPattern(item) : { error: `filter[${i}] must be a string, not ${JSON.stringify(item)}` };
    if ('error' in parsed) issues.push({ at: `/${i}`, message: parsed.error, hint });
  });
  return issues.length > 0 ? { ok: false, issues } : ok(value as string[]);
}

/** `--filter a --filter '!b'`: repeatable, never split on commas (a glob's `{a,b}` has them). */
function parseFilterFlag(value: string, previous: string[] | undefined): string[] {
  const parsed = parseFilterPattern(value);
  if ('error' in parsed) throw new InvalidArgumentError(`${parsed.error}; e.g. --filter 'channel:user/*' --filter '!operation:*Debug'`);
  return [...(previous ?? []), value];
}

const EXTENSION_HINT = '".js" (default) for moduleResolution NodeNext, "" for bundlers, ".ts" for allowImportingTsExtensions';

/** `--import-extension .js|js|none|.ts|ts`: an empty argument is easy to lose in a shell, so `none` says it. */
function parseExtensionFlag(value: string): ImportExtension {
  const ext = value === 'none' ? '' : value !== '' && !value.startsWith('.') ? `.${value}` : value;
  if (!(IMPORT_EXTENSIONS as readonly string[]).includes(ext)) throw new InvalidArgumentError(`"${value}" is not an import extension; valid: .js, none, .ts`);
  return ext as ImportExtension;
}

const POST_PROCESS_HINT = `${quoted(FORMATTERS)} (resolved from your project), or { "command": ["dprint", "fmt", "--stdin", "{file}"] }: a command that reads a file on stdin and prints it formatted`;

function checkPostProcess(value: unknown): Checked<PostProcess> {
  if (typeof value === 'string')
    return (FORMATTERS as readonly string[]).includes(value)
      ? ok(value as PostProcess)
      : bad(`"postProcess" must be one of ${quoted(FORMATTERS)} or { "command": [...] }, not ${JSON.stringify(value)}`, POST_PROCESS_HINT);
  const command = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>).command : undefined;
  const keys = typeof value === 'object' && value !== null ? Object.keys(value) : [];
  if (!Array.isArray(command) || command.length === 0 || !command.every((a): a is string => typeof a === 'string') || command[0] === '' || keys.some((k) => k !== 'command'))
    return bad('"postProcess" must be a formatter name or { "command": [program, ...arguments] }', POST_PROCESS_HINT);
  return ok({ command });
}

/** `--post-process biome`, or a command line split at spaces (no shell): `--post-process "dprint fmt --stdin {file}"`. */
function parsePostProcessFlag(value: string): PostProcess {
  if ((FORMATTERS as readonly string[]).includes(value)) return value as PostProcess;
  const command = value.split(/\s+/).filter((a) => a !== '');
  if (command.length === 0) throw new InvalidArgumentError(`name a formatter (${FORMATTERS.join(', ')}) or a command`);
  return { command };
}

/** An option whose value is one of a fixed list: checked in a config, a usage error (exit 2) as a flag. */
function choice<const T extends string>(key: string, flag: string, description: string, values: readonly T[], hint: string): OptionSpec<T> {
  return {
    flag,
    description,
    check: (value) =>
      typeof value === 'string' && (values as readonly string[]).includes(value) ? ok(value as T) : bad(`"${key}" must be one of ${quoted(values)}, not ${JSON.stringify(value)}`, hint),
    fromFlag: (value) => value as T,
    configure: (option) => option.choices(values),
  };
}

export const GENERATION_OPTIONS: OptionSpecs = {
  transports: {
    flag: '--transport <names>',
    description: `broker adapters to emit beside the in-memory one: ${TRANSPORTS.join(', ')}, or memory for none (repeatable or comma-separated; default: from the spec's servers)`,
    check: checkTransports,
    fromFlag: (value) => value as TransportName[],
    configure: (option) => option.argParser(parseTransportFlag),
  },
  validation: {
    flag: '--no-validation',
    description: 'emit types only: no payload and header validation on publish and receive',
    check: (value) => (typeof value === 'boolean' ? ok(value) : bad(`"validation" must be true or false`, 'true (default) validates on publish and receive; false keeps only the types')),
    fromFlag: (value) => value === true,
  },
  modelStyle: choice('modelStyle', '--model-style <style>', 'object models as interfaces or type aliases', MODEL_STYLES, `valid values: ${quoted(MODEL_STYLES)}`),
  clientName: {
    flag: '--client-name <name>',
    description: "base name of the client: Orders gives createOrdersClient and OrdersClient (default: from the spec's title)",
    check: (value) =>
      typeof value === 'string' && IDENTIFIER.test(value)
        ? ok(value)
        : bad(`"clientName" must be an identifier, not ${JSON.stringify(value)}`, 'e.g. "Orders", which gives createOrdersClient and OrdersClient'),
    fromFlag: (value) => String(value),
    configure: (option) => option.argParser(parseClientName),
  },
  side: choice(
    'side',
    '--side <side>',
    "which methods endpoints offer: both (default), application (the spec's own service: send → publish, receive → subscribe) or client (the mirror, for consumers of the spec)",
    SIDES,
    `"client" for a consumer of a vendor's spec (it sends, you receive); "application" for the service the spec describes`,
  ),
  runtime: {
    flag: '--runtime <dir>',
    description: 'a runtime folder shared by several specs, imported by their clients instead of a runtime/ in each output (default: runtime/ inside the output)',
    check: (value) => (typeof value === 'string' && value !== '' ? ok(value) : bad(`"runtime" must be a folder path`, 'e.g. "generated/runtime"; relative to the config file')),
    fromFlag: (value) => String(value),
    isPath: true,
  },
  templates: {
    flag: '--templates <dir>',
    description: 'folder of Handlebars partials that replace built-in ones of the same name',
    check: (value) => (typeof value === 'string' && value !== '' ? ok(value) : bad(`"templates" must be a folder path`, 'e.g. "templates/codegen"; relative to the config file')),
    fromFlag: (value) => String(value),
    isPath: true,
  },
  allowExternalRefs: {
    flag: '--allow-external-refs',
    readsInput: true,
    description: "follow $refs to files outside the spec's folder and to URLs (refused by default)",
    check: (value) =>
      typeof value === 'boolean' ? ok(value) : bad(`"allowExternalRefs" must be true or false`, "false (default) refuses $refs outside the spec's folder and to URLs; true follows them"),
    fromFlag: (value) => value === true,
  },
  patches: {
    flag: '--patches <file>',
    readsInput: true,
    description: 'a JSON file of JSON Patch (RFC 6902) operations applied to the spec before it is read, to accept what a vendor really sends without editing its spec',
    check: checkPatches,
    fromFlag: (value) => value as SpecPatches,
    configure: (option) => option.argParser(readPatchFile),
  },
  filter: {
    flag: '--filter <pattern>',
    description: 'generate only what matches: channel:<glob> (id or address), operation:<glob>, or a bare glob for either; a leading ! excludes (repeatable)',
    check: checkFilter,
    fromFlag: (value) => value as string[],
    configure: (option) => option.argParser(parseFilterFlag),
  },
  header: {
    flag: '--header <text>',
    description: 'text put at the top of every generated file, above the do-not-edit line (e.g. "/* eslint-disable */")',
    check: (value) => (typeof value === 'string' ? ok(value) : bad('"header" must be a string', 'e.g. "/* eslint-disable */"; lines are separated by \\n')),
    fromFlag: (value) => String(value),
  },
  importExtension: {
    flag: '--import-extension <ext>',
    description: 'extension of relative imports in the output: .js (default, NodeNext), none (bundlers) or .ts (allowImportingTsExtensions)',
    check: (value) =>
      typeof value === 'string' && (IMPORT_EXTENSIONS as readonly string[]).includes(value)
        ? ok(value as ImportExtension)
        : bad(`"importExtension" must be one of ${quoted(IMPORT_EXTENSIONS)}, not ${JSON.stringify(value)}`, EXTENSION_HINT),
    fromFlag: (value) => value as ImportExtension,
    configure: (option) => option.argParser(parseExtensionFlag),
  },
  postProcess: {
    flag: '--post-process <formatter>',
    description: `format the output before it is written (and before check compares): ${FORMATTERS.join(', ')}, or a command that formats stdin ({file}: the file's path)`,
    check: checkPostProcess,
    fromFlag: (value) => value as PostProcess,
    configure: (option) => option.argParser(parsePostProcessFlag),
  },
};

export const OPTION_KEYS = Object.keys(GENERATION_OPTIONS) as Array<keyof GenerationOptions>;

/** Adds one flag per generation option to a command; `input`: only those that change what is read (for `validate`). */
export function addGenerationFlags(command: Command, only: 'all' | 'input' = 'all'): Command {
  for (const key of OPTION_KEYS) {
    const spec: OptionSpec<unknown> = GENERATION_OPTIONS[key];
    if (only === 'input' && spec.readsInput !== true) continue;
    const option = new Option(spec.flag, spec.description);
    command.addOption(spec.configure ? spec.configure(option) : option);
  }
  return command;
}

/** The options the user actually typed; defaults stay undefined so the config's values show through. */
export function generationFlags(command: Command): GenerationOptions {
  const result: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    const spec: OptionSpec<unknown> = GENERATION_OPTIONS[key];
    const name = new Option(spec.flag).attributeName();
    if (command.getOptionValueSource(name) === 'cli') result[key] = spec.fromFlag(command.getOptionValue(name));
  }
  return result as GenerationOptions;
}
