/**
 * `pattern`s written for other regex engines (protoc-gen-validate and Go's RE2, Java's
 * java.util.regex) reach JSON Schema unchanged, but the generated validators run ECMAScript regular
 * expressions in Unicode mode, as Ajv compiles them. A pattern ECMAScript refuses is rewritten
 * where ECMAScript has an exact equivalent; only then, never "close enough".
 */

/** A pattern ready for `new RegExp(source, flags)`, or why there is none. */
export type Portable = { readonly ok: true; readonly source: string; readonly flags: string } | { readonly ok: false; readonly reason: string };

/** The Unicode flag Ajv compiles every pattern with. */
const UNICODE = 'u';

/**
 * Leading inline flags and their ECMAScript flag. `m` is left out on purpose: RE2 ends a line at
 * `\n` only, Java also at `\r`, `\u0085`, …, ECMAScript at `\n`, `\r`, U+2028 and U+2029.
 */
const INLINE_FLAGS: Readonly<Record<string, string>> = {
  // RE2 and ECMAScript's `u` mode both fold case by Unicode simple case folding.
  i: 'i',
  // With it, `.` matches every character in all three.
  s: 's',
};

/** POSIX classes inside brackets (RE2): ASCII only, as RE2 defines them. */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Characters ECMAScript's Unicode mode lets a backslash escape outside a character class. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const QUANTIFIER = /^\{\d+(,\d*)?\}/;

function compiles(source: string, flags: string): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function hex(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * Rewrites the constructs other engines spell differently and ECMAScript has exactly: `\A` and
 * `\z` (start and end of input, which `^` and `$` are without the `m` flag), `(?P<name>`, RE2's
 * `\pL` and `\x{10FFFF}` (ECMAScript: `\p{L}`, `\u{10FFFF}`), a
 * backslash before punctuation (a literal there, an error in Unicode mode), a `{` that starts no
 * quantifier (RE2: a literal), a `]` first in a class (a literal) and POSIX classes.
 */
function rewrite(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    const next = pattern[i + 1] ?? '';
    if (c === '\\') {
      i++;
      const braced = /^\{[^}]*\}/.exec(pattern.slice(i + 1))?.[0];
      if ((next === 'p' || next === 'P') && braced !== undefined) {
        out += `\\${next}${braced}`;
        i += braced.length;
      } else if ((next === 'p' || next === 'P') && /[A-Z]/.test(pattern[i + 1] ?? '')) out += `\\${next}{${pattern[++i] ?? ''}}`;
      else if (next === 'x' && braced !== undefined && /^\{[0-9A-Fa-f]+\}$/.test(braced)) {
        out += `\\u${braced}`;
        i += braced.length;
      } else if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      else if (/[!-/:-@[-`{-~]/.test(next) && !SYNTAX.has(next) && !(inClass && next === '-')) out += hex(next);
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\w+):\]/.exec(pattern.slice(i));
      if (posix && POSIX_CLASSES[posix[1] ?? ''] !== undefined) {
        out += POSIX_CLASSES[posix[1] ?? ''];
        i += posix[0].length - 1;
      } else if (c === ']') {
        inClass = false;
        out += c;
      } else out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (next === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += (i++, '\\]');
    } else if (c === '(' && pattern.startsWith('?P<', i + 1)) {
      out += '(?<';
      i += 3;
    } else if (c === '{') {
      // A quantifier is copied whole, so any other brace is a literal one.
      const quantifier = QUANTIFIER.exec(pattern.slice(i))?.[0];
      out += quantifier ?? '\\{';
      i += (quantifier?.length ?? 1) - 1;
    } else if (c === '}') out += '\\}';
    else out += c;
  }
  return out;
}

/**
 * The pattern as ECMAScript reads it: unchanged when it compiles already, else translated when that
 * is exact. What is not rewritten keeps the meaning ECMAScript gives it, as in every pattern it
 * accepts as written (engines differ slightly on `\s`, `\w` and `.` beyond ASCII).
 */
export function portablePattern(pattern: string): Portable {
  if (compiles(pattern, UNICODE) === undefined) return { ok: true, source: pattern, flags: UNICODE };
  let body = pattern;
  let flags = '';
  const inline = /^\(\?([A-Za-z]+)\)/.exec(pattern);
  if (inline) {
    for (const letter of inline[1] ?? '') {
      const flag = INLINE_FLAGS[letter];
      if (flag === undefined) return { ok: false, reason: `ECMAScript has no exact equivalent of the inline flag (?${letter})` };
      if (!flags.includes(flag)) flags += flag;
    }
    body = pattern.slice(inline[0].length);
  }
  const source = rewrite(body);
  const all = `${flags}${UNICODE}`;
  const error = compiles(source, all);
  if (error !== undefined) return { ok: false, reason: error.replace(/^Invalid regular expression: \/.*\/\w*: /s, '') };
  return { ok: true, source, flags: all };
}
