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
 * for an unexpected token; then the longest prefix that could still begin a valid document ends
 * exactly where the error is, and a binary search finds it.
 */
export function jsonSyntaxError(text: string, error: unknown): { readonly message: string; readonly position: Position } {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/, ".*" is not valid JSON$/s, '').split('\n')[0] ?? raw;
  const at = /at position (\d+)/.exec(raw);
  let offset: number;
  if (at) offset = Math.min(Number(at[1]), text.length);
  else {
    const viable = (n: number): boolean => {
      try {
        JSON.parse(text.slice(0, n));
        return true;
      } catch (e) {
        return /end of JSON input|Unterminated string/.test(e instanceof Error ? e.message : '');
      }
    };
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (viable(mid)) lo = mid;
      else hi = mid - 1;
    }
    offset = lo;
  }
  const before = text.slice(0, offset).split('\n');
  return { message, position: { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 } };
}
