/**
 * A private Handlebars environment: strict (a missing field is an error), no HTML escaping.
 * Users may replace any built-in partial with a file of the same name from their own folder.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HelperOptions } from 'handlebars';
import { CodegenError } from '../errors.js';
import { literal } from './strings.js';

/** templates/ at the package root; the same depth from src/ (tests) and dist/ (the built CLI). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export type Render = (template: string, view: object) => string;

const cache = new Map<string, Promise<Render>>();

/** The renderer, with the partials of `overrides` (a folder of `<partial>.hbs`) in place of the built-in ones. */
export function renderer(overrides?: string): Promise<Render> {
  const key = overrides === undefined ? '' : path.resolve(overrides);
  let r = cache.get(key);
  if (!r) {
    r = createRenderer(overrides);
    // A failed load (a typo in a user's partial) must not stick: watch mode retries after a fix.
    r.catch(() => cache.delete(key));
    cache.set(key, r);
  }
  return r;
}

async function hbsFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.hbs')).sort();
}

/** The names of the built-in partials, which are also the names a user may override. */
export async function partialNames(): Promise<string[]> {
  return (await hbsFiles(path.join(TEMPLATES_DIR, 'typescript', 'partials'))).map((f) => f.slice(0, -4));
}

async function userPartials(dir: string, known: readonly string[]): Promise<Map<string, { file: string; source: string }>> {
  const shown = path.relative(process.cwd(), dir) || dir;
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new CodegenError({
      code: 'templates-not-found',
      message: `template folder ${shown} does not exist`,
      hint: `create it with <partial>.hbs files, or drop the "templates" option; partials: ${known.join(', ')}`,
    });
  }
  const out = new Map<string, { file: string; source: string }>();
  for (const file of await hbsFiles(dir)) {
    const name = file.slice(0, -4);
    if (!known.includes(name)) {
      throw new CodegenError({
        code: 'unknown-partial',
        message: `${path.join(shown, file)} overrides no built-in partial`,
        hint: `name it after one of: ${known.join(', ')}`,
        location: { file: path.join(shown, file) },
      });
    }
    out.set(name, { file: path.join(shown, file), source: await readFile(path.join(dir, file), 'utf8') });
  }
  return out;
}

/** Partials used inside a line (a member's type, its factory call): a file's final line break is not part of them. */
const INLINE_PARTIALS = new Set(['endpointType', 'endpointValue']);

function inline(name: string, source: string): string {
  return INLINE_PARTIALS.has(name) ? source.replace(/\r?\n$/, '') : source;
}

async function createRenderer(overrides: string | undefined): Promise<Render> {
  const { default: Handlebars } = await import('handlebars');
  const hb = Handlebars.create();
  hb.registerHelper('join', (items: unknown, separator: unknown, _options: HelperOptions) => (Array.isArray(items) ? items.join(typeof separator === 'string' ? separator : ', ') : ''));
  // Any text as a JSON string literal, for partials that turn a name into a string.
  hb.registerHelper('literal', (value: unknown, _options: HelperOptions) => literal(value));
  const dir = path.join(TEMPLATES_DIR, 'typescript');
  const partialsDir = path.join(dir, 'partials');
  const known = await partialNames();
  const user = overrides === undefined ? new Map<string, { file: string; source: string }>() : await userPartials(overrides, known);
  for (const name of known) {
    const own = user.get(name);
    if (!own) {
      hb.registerPartial(name, inline(name, await readFile(path.join(partialsDir, `${name}.hbs`), 'utf8')));
      continue;
    }
    try {
      const source = inline(name, own.source);
      hb.registerPartial(name, hb.compile(source, { strict: true, noEscape: true }));
      hb.precompile(source, { strict: true }); // surfaces syntax errors now, not at render time
    } catch (error) {
      throw new CodegenError({
        code: 'bad-partial',
        message: `${own.file}: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'fix the Handlebars syntax of the partial',
        location: { file: own.file },
      });
    }
  }
  const templates = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of await hbsFiles(dir)) templates.set(file.slice(0, -4), hb.compile(await readFile(path.join(dir, file), 'utf8'), { strict: true, noEscape: true }));
  return (template, view) => {
    const compiled = templates.get(template);
    if (!compiled) throw new Error(`internal: no template ${template}`);
    if (user.size === 0) return compiled(view);
    try {
      return compiled(view);
    } catch (error) {
      const files = [...user.values()].map((u) => u.file).join(', ');
      throw new CodegenError({
        code: 'bad-partial',
        message: `rendering ${template} with your partials (${files}) failed: ${error instanceof Error ? error.message : String(error)}`,
        hint: 'a partial may use only the fields of the built-in one it replaces (see README, "Template overrides")',
      });
    }
  };
}
