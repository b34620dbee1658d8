/**
 * Links Ajv's standalone code into one dependency-free ES module, without a bundler (esbuild
 * did this before: a child process per generation, and every helper's whole file). Ajv's code
 * (CommonJS) `require`s a few helpers: string length, deep equality, and the formats. Each becomes
 * a module of a small table in the output, copied from the installed package, and only the
 * formats the schemas use are copied, with the declarations they need, not ajv-formats' whole
 * table. Ids are package paths (`ajv/dist/runtime/ucs2length`), so the output does not depend on
 * where node_modules is.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { errorHelpers, rewriteErrorSites } from './error-sites.js';

const require = createRequire(import.meta.url);

/** The id under which Ajv is told to reach the formats (`code.formats`): only those used are in it. */
export const FORMATS_MODULE = 'codegen:formats';

export interface LinkInput {
  /** Ajv standalone code of each part, CommonJS (`exports.name = validateN`). */
  readonly parts: readonly string[];
  /** Modules of our own the parts require by id (the pattern engine), as CommonJS source. */
  readonly modules: Readonly<Record<string, string>>;
  /** Code placed before the exports (the guard). */
  readonly prelude: string;
  /** Each export: its name, the part and the name Ajv compiled it under, and how to wrap it. */
  readonly exports: ReadonlyArray<{ readonly name: string; readonly part: number; readonly compiled: string }>;
  /** `guarded`: the function each export goes through. */
  readonly wrap: string;
}

interface Module {
  readonly id: string;
  readonly source: string;
}

const REQUIRE = /\brequire\((["'])([^"']+)\1\)/g;

export function link(input: LinkInput): string {
  const modules = new Map<string, Module>();
  const formats = new Set<string>();
  const sites = { keywords: new Set<string>(), generic: false, pushes: false, joins: false, stops: false, forwards: false };
  const add = (id: string, source: string): void => {
    if (modules.has(id)) return;
    modules.set(id, { id, source });
    for (const [, , dep] of source.matchAll(REQUIRE)) {
      if (dep === undefined || modules.has(dep) || dep in input.modules || dep === FORMATS_MODULE) continue;
      add(dep, vendorSource(dep));
    }
  };
  input.parts.forEach((part, i) => {
    // Ajv writes `.int32` for a name that is an identifier, `["date-time"]` for one that is not.
    for (const m of part.matchAll(new RegExp(`\\brequire\\("${FORMATS_MODULE}"\\)(?:\\.([A-Za-z_$][\\w$]*)|\\[("(?:[^"\\\\]|\\\\.)*")\\])`, 'g'))) {
      formats.add(m[1] ?? (JSON.parse(m[2] ?? '""') as string));
    }
    const rewritten = rewriteErrorSites(withoutUnusedSchemas(part));
    for (const k of rewritten.keywords) sites.keywords.add(k);
    sites.generic ||= rewritten.generic;
    sites.pushes ||= rewritten.pushes;
    sites.joins ||= rewritten.joins;
    sites.stops ||= rewritten.stops;
    sites.forwards ||= rewritten.forwards;
    add(`part:${i}`, rewritten.code);
  });
  for (const [id, source] of Object.entries(input.modules)) if ([...modules.values()].some((m) => m.source.includes(`require("${id}")`))) add(id, source);
  if (formats.size > 0) add(FORMATS_MODULE, formatsModule(formats));
  // Every id any module requires must be in the table: a gap would fail only when the output is imported.
  for (const m of modules.values()) {
    for (const [, , dep] of m.source.matchAll(REQUIRE)) if (dep !== undefined && !modules.has(dep)) throw new Error(`internal: the validators require ${dep}, which was not linked`);
  }
  const table = [...modules.values()]
    .sort((a, b) => order(a.id) - order(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((m) => `${JSON.stringify(m.id)}(module, exports, require) {\n${m.source.trim()}\n}`);
  return [
    "// The modules Ajv's code requires, each as its package wrote it (CommonJS), loaded once in this order.",
    `const modules = {\n${table.join(',\n')}\n};`,
    'const loaded = new Map();',
    'function require(id) {',
    '  let module = loaded.get(id);',
    '  if (!module) {',
    '    module = { exports: {} };',
    '    loaded.set(id, module);',
    '    modules[id](module, module.exports, require);',
    '  }',
    '  return module.exports;',
    '}',
    errorHelpers(sites),
    input.prelude.trim(),
    ...input.parts.map((_, i) => `const part${i} = require("part:${i}");`),
    ...input.exports.map((e) => `export const ${e.name} = ${input.wrap}(part${e.part}.${e.compiled});`),
    '',
  ].join('\n');
}

/**
 * Ajv's standalone code declares `const schemaN = {…}` for every schema it compiled, with its
 * descriptions and examples, whether or not the code reads it; most are never read. Those are
 * dropped (a bundler did this by tree shaking). The value is JSON, so its end is found by depth.
 */
export function withoutUnusedSchemas(code: string): string {
  // One pass to count the mentions of every name: a declaration alone is one.
  const mentions = new Map<string, number>();
  for (const [name] of code.matchAll(/\bschema\d+\b/g)) mentions.set(name, (mentions.get(name) ?? 0) + 1);
  const kept: string[] = [];
  let at = 0;
  for (const m of code.matchAll(/const (schema\d+) = /g)) {
    const start = m.index ?? 0;
    if (start < at || mentions.get(m[1] ?? '') !== 1) continue;
    const end = jsonEnd(code, start + m[0].length);
    if (end < 0 || code[end] !== ';') continue;
    kept.push(code.slice(at, start));
    at = end + 1;
  }
  kept.push(code.slice(at));
  return kept.join('');
}

/** The index just past the JSON value starting at `from`, or -1. */
function jsonEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === ';' || c === ',')) return i;
  }
  return -1;
}

/** Helpers first, our parts last: only for a stable, readable order. */
function order(id: string): number {
  return id.startsWith('part:') ? 2 : id.startsWith('codegen:') ? 1 : 0;
}

/** A helper of Ajv's code, by the id it is required under, as the installed package has it. */
function vendorSource(id: string): string {
  if (!/^(ajv|fast-uri|fast-deep-equal)(\/|$)/.test(id)) throw new Error(`internal: the validators require ${id}, which is not a known Ajv helper`);
  const file = require.resolve(id);
  const source = readFileSync(file, 'utf8');
  // Relative requires inside a package are resolved by the module table; ids without ".js".
  return source.replace(/\/\/# sourceMappingURL=.*$/m, '').replace(REQUIRE, (whole, _quote: string, dep: string) => {
    if (!dep.startsWith('.')) return whole;
    const resolved = path.relative(path.dirname(require.resolve(`${packageOf(id)}/package.json`)), require.resolve(path.resolve(path.dirname(file), dep)));
    return `require(${JSON.stringify(`${packageOf(id)}/${resolved.split(path.sep).join('/').replace(/\.js$/, '')}`)})`;
  });
}

function packageOf(id: string): string {
  return id.split('/')[0] ?? id;
}

/**
 * ajv-formats' `fullFormats` entries for `names`, with the top-level declarations of its formats
 * module that they use, and no others. tsc writes that module with one entry per line of the
 * table and each declaration starting at the line's start, which is what is read here.
 */
export function formatsModule(names: ReadonlySet<string>): string {
  const source = readFileSync(require.resolve('ajv-formats/dist/formats'), 'utf8');
  const lines = source.split('\n');
  const start = lines.indexOf('exports.fullFormats = {');
  const end = lines.indexOf('};', start);
  const entries = new Map<string, string>();
  for (const line of lines.slice(start + 1, end)) {
    const m = /^ {4}("[^"]+"|[A-Za-z_$][\w$]*)(?:: (.*))?,$/.exec(line);
    if (!m?.[1]) continue;
    const key = m[1].startsWith('"') ? (JSON.parse(m[1]) as string) : m[1];
    entries.set(key, m[2] ?? m[1]);
  }
  const declarations = topLevelDeclarations(lines);
  const needed = new Set<string>();
  const need = (code: string): void => {
    for (const [word] of code.matchAll(/[A-Za-z_$][\w$]*/g)) {
      const declaration = declarations.get(word);
      if (declaration === undefined || needed.has(word)) continue;
      needed.add(word);
      need(declaration);
    }
  };
  const out: string[] = [];
  for (const name of [...names].sort()) {
    const expression = entries.get(name);
    if (expression === undefined) throw new Error(`internal: ajv-formats has no format ${JSON.stringify(name)} to copy`);
    need(expression);
    out.push(`exports[${JSON.stringify(name)}] = ${expression};`);
  }
  // In the order the package declares them, so the code reads as it does there.
  const used = [...declarations].filter(([name]) => needed.has(name)).map(([, code]) => code);
  return ['"use strict";', ...used, ...out].join('\n');
}

/** `function name(` … `}` and `const NAME = …;` at the start of a line, by name. */
function topLevelDeclarations(lines: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fn = /^function ([A-Za-z_$][\w$]*)\(/.exec(line);
    const constant = /^const ([A-Za-z_$][\w$]*) =/.exec(line);
    if (!fn && !constant) continue;
    let j = i;
    if (fn) while (j < lines.length && lines[j] !== '}') j++;
    else while (j < lines.length && !(lines[j] ?? '').endsWith(';')) j++;
    found.set((fn ?? constant)?.[1] ?? '', lines.slice(i, j + 1).join('\n'));
    i = j;
  }
  return found;
}
