/** A private Handlebars environment: strict (a missing field is an error), no HTML escaping. */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HelperOptions } from 'handlebars';

/** templates/ at the package root; the same depth from src/ (tests) and dist/ (the built CLI). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export type Render = (template: string, view: object) => string;

let cached: Promise<Render> | undefined;

export function renderer(): Promise<Render> {
  cached ??= createRenderer();
  return cached;
}

async function createRenderer(): Promise<Render> {
  const { default: Handlebars } = await import('handlebars');
  const hb = Handlebars.create();
  hb.registerHelper('join', (items: unknown, separator: unknown, _options: HelperOptions) =>
    Array.isArray(items) ? items.join(typeof separator === 'string' ? separator : ', ') : '',
  );
  const dir = path.join(TEMPLATES_DIR, 'typescript');
  const partialsDir = path.join(dir, 'partials');
  for (const file of (await readdir(partialsDir)).sort()) {
    if (file.endsWith('.hbs')) hb.registerPartial(file.slice(0, -4), await readFile(path.join(partialsDir, file), 'utf8'));
  }
  const templates = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of (await readdir(dir)).sort()) {
    if (file.endsWith('.hbs')) templates.set(file.slice(0, -4), hb.compile(await readFile(path.join(dir, file), 'utf8'), { strict: true, noEscape: true }));
  }
  return (template, view) => {
    const compiled = templates.get(template);
    if (!compiled) throw new Error(`internal: no template ${template}`);
    return compiled(view);
  };
}
