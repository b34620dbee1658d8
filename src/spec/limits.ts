/**
 * Documents built to exhaust the generator: nesting deeper than any schema needs (the parser's
 * recursive reader overflows the stack) and YAML aliases that expand exponentially (a "billion
 * laughs" document took minutes and gigabytes). Both are refused before anything parses them.
 */
import { CodegenError } from '../errors.js';
import type { SpecSource } from './load.js';

/** Deeper than any real spec nests; the parser overflows the stack far beyond this. */
export const MAX_DEPTH = 256;
/** What the `yaml` library holds safe by default: aliases resolved, weighted by what they copy. */
const MAX_ALIAS_COUNT = 100;

function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

/** The first place flow collections (`[`, `{`) nest deeper than MAX_DEPTH, skipping strings and comments. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      // YAML's single quotes escape by doubling, which this loop reads as two strings: same result.
      for (i++; i < text.length && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ''))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  // Block YAML nests by indentation: two columns a level at the least.
  const deep = /^ {512,}\S/m.exec(text);
  return deep ? deep.index : undefined;
}

function hasAliases(text: string): boolean {
  return /(^|[\s,[{:-])\*[^\s,[\]{}]+/m.test(text);
}

export async function checkLimits(source: SpecSource): Promise<void> {
  const deep = tooDeepAt(source.text);
  if (deep !== undefined) {
    throw new CodegenError({
      code: 'too-deep',
      message: `${source.file} nests deeper than ${MAX_DEPTH} levels`,
      hint: 'no AsyncAPI document needs this depth; split the schema with $ref, or check the file is what you meant to give',
      location: { file: source.file, ...lineAndColumn(source.text, deep) },
    });
  }
  if (/^\s*[[{]/.test(source.text) || !hasAliases(source.text)) return;
  const { parseDocument } = await import('yaml');
  try {
    parseDocument(source.text).toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) return; // anything else is the parser's to report
    throw new CodegenError({
      code: 'yaml-alias-bomb',
      message: `${source.file} uses YAML aliases (*name) that expand to an excessive size`,
      hint: `a few aliases are fine, but these copy copies of copies (a "billion laughs" document); use $ref to share a schema instead`,
      location: { file: source.file },
    });
  }
}
