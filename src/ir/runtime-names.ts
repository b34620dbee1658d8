/**
 * The names the generated client.ts and index.ts take from the runtime. They are read from the
 * runtime files themselves (every export of each runtime file the templates import from), so a
 * new runtime export can never clash with a schema or message name: the normaliser claims them
 * all before any spec name.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { TEMPLATES_DIR } from '../render/handlebars.js';

export interface RuntimeName {
  readonly name: string;
  /** The runtime file that exports it (`errors.ts`), for the collision warning. */
  readonly file: string;
}

/** `'./runtime/client.js'`, or `'{{runtime}}/client.js'` where the folder is an option (a runtime shared by several specs). */
// The templates write the extension as `{{ext}}` (the importExtension option); older partials wrote `.js`.
const RUNTIME_IMPORT = /['"](?:\.\/runtime|\{\{\s*runtime\s*\}\})\/([\w-]+)(?:\.js|\{\{\s*ext\s*\}\})['"]/g;
const DECLARATION = /^export\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|function\*?|interface|type|const|let|var|enum|namespace)\s+([A-Za-z_$][\w$]*)/gm;
const LIST = /^export\s+(?:type\s+)?\{([^}]*)\}/gm;
const STAR = /^export\s+\*\s+from\s+['"]\.\/([\w.-]+)\.js['"]/gm;

/** Names a TypeScript module exports, read from its text (`export class X`, `export { a as b }`, `export * from`). */
export function exportedNames(source: string, follow: (file: string) => string | undefined = () => undefined): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(DECLARATION)) if (m[1]) names.add(m[1]);
  for (const m of source.matchAll(LIST)) {
    for (const part of (m[1] ?? '').split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .at(-1)
        ?.trim();
      if (name) names.add(name);
    }
  }
  for (const m of source.matchAll(STAR)) {
    const inner = m[1] ? follow(`${m[1]}.ts`) : undefined;
    if (inner !== undefined) for (const n of exportedNames(inner)) names.add(n);
  }
  return [...names];
}

/** The runtime files the built-in templates import from, sorted (`client.ts`, `errors.ts`, …). */
export function importedRuntimeFiles(templatesDir = TEMPLATES_DIR): string[] {
  const files = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.hbs')) for (const m of readFileSync(full, 'utf8').matchAll(RUNTIME_IMPORT)) if (m[1]) files.add(`${m[1]}.ts`);
    }
  };
  walk(path.join(templatesDir, 'typescript'));
  return [...files].sort();
}

let cached: readonly RuntimeName[] | undefined;

/** Every export of every runtime file the generated code imports from; read once per process. */
export function runtimeNames(): readonly RuntimeName[] {
  if (cached) return cached;
  const dir = path.join(TEMPLATES_DIR, 'runtime');
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  const out: RuntimeName[] = [];
  for (const file of importedRuntimeFiles()) {
    const source = read(file);
    if (source === undefined) throw new Error(`internal: the templates import runtime/${file}, which does not exist`);
    for (const name of exportedNames(source, read).sort()) out.push({ name, file });
  }
  cached = out;
  return out;
}
