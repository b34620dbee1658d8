/**
 * JSON syntax errors in JSON's own words. The parser reads every document as YAML, so a stray
 * comma in a JSON spec came out as "Mapping key must be a string scalar rather than object" at
 * 1:0 with a hint about YAML tabs. This is asked only after the parser failed on the syntax, so a
 * document the parser accepts (a trailing comma is fine YAML) is never refused here.
 */
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import type { SpecSource } from './load.js';

/** A `.json` file, or text that opens a JSON object. */
export function looksLikeJson(source: SpecSource): boolean {
  return path.extname(source.file).toLowerCase() === '.json' || /^\s*\{/.test(source.text);
}

/** The JSON parser's complaint at its line and column, or undefined when the text is valid JSON. */
export function jsonSyntaxError(source: SpecSource): Diagnostic | undefined {
  const { text } = source;
  let message: string;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  const stated = /at position (\d+)/.exec(message);
  const at = stated ? Number(stated[1]) : /end of JSON input/.test(message) ? text.trimEnd().length : firstError(text);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return {
    severity: 'error',
    code: 'json-syntax',
    // Node words it `… in JSON at position 24 (line 2 column 23)`, or quotes the text around the token.
    message: message.replace(/ at position \d+.*$/s, '').replace(/ in JSON$/, '').replace(/^(Unexpected token '.+?'), .* is not valid JSON$/s, '$1'),
    hint: 'fix the JSON syntax here (no trailing or doubled commas, double-quoted keys and strings)',
    location: { file: source.file, line, column: at - before.lastIndexOf('\n') },
  };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001F]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\n\r]*/y;

/**
 * Where JSON text first goes wrong, for the messages that give no position (`Unexpected token`).
 * Iterative, so deep nesting cannot overflow; the generated runtime's codec has its own copy,
 * since the output may not import the generator.
 */
function firstError(text: string): number {
  const open: string[] = [];
  let i = 0;
  let expect: 'value' | 'key' | 'next' = 'value';
  const match = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  for (;;) {
    match(SPACE);
    if (i >= text.length) return text.trimEnd().length;
    const c = text.charAt(i);
    if (expect === 'key') {
      if (!match(STRING)) return i;
      match(SPACE);
      if (text.charAt(i) !== ':') return i;
      i++;
      expect = 'value';
    } else if (expect === 'next') {
      const top = open[open.length - 1];
      if (c === ',' && top !== undefined) expect = top === '{' ? 'key' : 'value';
      else if (top !== undefined && c === (top === '{' ? '}' : ']')) open.pop();
      else return i;
      i++;
    } else if (c === '{' || c === '[') {
      open.push(c);
      i++;
      match(SPACE);
      if (text.charAt(i) === (c === '{' ? '}' : ']')) {
        open.pop();
        i++;
        expect = 'next';
      } else expect = c === '{' ? 'key' : 'value';
    } else {
      const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
      if (literal) i += literal.length;
      else if (!match(STRING) && !match(NUMBER)) return i + misspelt(text, i);
      expect = 'next';
    }
    if (expect === 'next' && open.length === 0) {
      match(SPACE);
      return i;
    }
  }
}

/** How far a misspelt literal (`tru}`) matches one: JSON.parse names the character after that. */
function misspelt(text: string, at: number): number {
  let longest = 0;
  for (const literal of ['true', 'false', 'null']) {
    let n = 0;
    while (n < literal.length && text.charAt(at + n) === literal.charAt(n)) n++;
    longest = Math.max(longest, n);
  }
  return longest;
}
