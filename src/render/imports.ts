/**
 * The `importExtension` and `header` options over files that are not rendered from templates: the
 * runtime (real TypeScript, written with `.js` specifiers for NodeNext) and validators.ts.
 */
import type { ImportExtension } from '../options.js';

/** `from './x.js'`, `import './x.js'`, `import('./x.js')`: relative specifiers only, never a package's. */
const RELATIVE_JS = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"\n]*?)\.js\2/g;

/** The runtime's relative imports with `ext` in place of `.js`. */
export function withImportExtension(source: string, ext: ImportExtension): string {
  return ext === '.js' ? source : source.replace(RELATIVE_JS, (_all, lead: string, quote: string, base: string) => `${lead}${quote}${base}${ext}${quote}`);
}

/** The user's header as lines ending in a newline; empty when there is none. */
export function userHeader(text: string | undefined): string {
  const lines = (text ?? '').replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  return lines.trim() === '' ? '' : `${lines}\n`;
}
