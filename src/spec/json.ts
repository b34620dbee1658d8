/**
 * JSON syntax errors in JSON's own words. The parser reads every document as YAML, so a stray
 * comma in a JSON spec came out as "Mapping key must be a string scalar rather than object" at
 * 1:0 with a hint about YAML tabs. This is asked only after the parser failed on the syntax, so a
 * document the parser accepts (a trailing comma is fine YAML) is never refused here.
 */
import path from 'node:path';
import { jsonSyntaxError as jsonErrorAt } from '../config/locate.js';
import type { Diagnostic } from '../errors.js';
import type { SpecSource } from './load.js';

/** A `.json` file, or text that opens a JSON object. */
export function looksLikeJson(source: SpecSource): boolean {
  return path.extname(source.file).toLowerCase() === '.json' || /^\s*\{/.test(source.text);
}

/** The JSON parser's complaint at its line and column, or undefined when the text is valid JSON. */
export function jsonSyntaxError(source: SpecSource): Diagnostic | undefined {
  const { text } = source;
  let error: unknown;
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    error = e;
  }
  // Shared with the config loader: V8 gives no position for an unexpected token, so it is searched for.
  const { message, position } = jsonErrorAt(text, error);
  return {
    severity: 'error',
    code: 'json-syntax',
    // Node words it `… in JSON at position 24 (line 2 column 23)`; the place is in the location.
    message: message.replace(/ at position \d+.*$/, '').replace(/ in JSON$/, ''),
    hint: 'fix the JSON syntax here (no trailing or doubled commas, double-quoted keys and strings)',
    location: { file: source.file, ...position },
  };
}
