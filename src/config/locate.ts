/**
 * Line and column of every JSON pointer in a JSON text, so config problems print as
 * `codegen.config.json:4:7`. Members point at their key, list items at their value.
 * Only called on text that JSON.parse accepted.
 */
import { escapeSegment } from '../pointer.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export function locateJson(text: string): Map<string, Position> {
  const found = new Map<string, Position>();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };
  let i = 0;
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  };
  const string = (): string => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (pointer: string): void => {
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      skip();
      while (text[i] !== '}' && i < text.length) {
        const at = i;
        const key = string();
        const child = `${pointer}/${escapeSegment(key)}`;
        found.set(child, position(at));
        skip();
        i++; // ':'
        value(child);
        skip();
        if (text[i] === ',') i++;
        skip();
      }
      i++;
    } else if (c === '[') {
      i++;
      skip();
      for (let index = 0; text[i] !== ']' && i < text.length; index++) {
        skip();
        found.set(`${pointer}/${index}`, position(i));
        value(`${pointer}/${index}`);
        skip();
        if (text[i] === ',') i++;
        skip();
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && /[^\s,\]}]/.test(text[i] ?? '')) i++;
    }
  };
  skip();
  found.set('', position(i));
  value('');
  return found;
}

/**
 * Where JSON.parse failed and why, in one line. V8 gives "at position N" for some errors but not
 * for an unexpected token; that place is then found by reading the text as JSON.parse does.
 * Used for config files and for JSON specs.
 */
export function jsonSyntaxError(text: string, error: unknown): { readonly message: string; readonly position: Position } {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/, ".*" is not valid JSON$/s, '').split('\n')[0] ?? raw;
  const at = /at position (\d+)/.exec(raw);
  const offset = at ? Math.min(Number(at[1]), text.length) : /end of JSON input/.test(raw) ? text.trimEnd().length : firstError(text);
  const before = text.slice(0, offset).split('\n');
  return { message, position: { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 } };
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
