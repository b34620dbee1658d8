/**
 * Ajv's first-error bookkeeping, left out where it cannot change anything. Stopping at the first
 * error (`allErrors: false`), Ajv still counts errors in every function: each property check is
 * `const _errs1 = errors; … var valid0 = _errs1 === errors;` and the next one runs `if(valid0)`,
 * and a failed `$ref` call appends the callee's errors and carries on to the end of the function.
 * That count can differ from 0 only through a failed `$ref` call (every other error site returns
 * at once) or inside a keyword that tries subschemas and takes errors back (`anyOf`, `oneOf`,
 * `not`, `if`, `contains`: `errors++` and `errors = _errs…`).
 *
 * So in a function without the latter, a failed `$ref` call returns its callee's errors at once
 * (they are the first and only errors: nothing was recorded before it, and Ajv runs nothing after
 * the first error), and then `errors` is always 0: every `_errs… === errors` is true and its
 * `valid…` flag always set. The same verdicts and the same error objects (the very array the callee
 * left), with about a sixth fewer bytes and no counting on the hot path. Any function whose text
 * does not match these shapes exactly is left as Ajv wrote it.
 */

/** Ajv's code with its string literals set aside, so that a property named `errors = 1` is never read as code. */
function withoutStrings(code: string): { readonly text: string; readonly strings: readonly string[] } | undefined {
  const strings: string[] = [];
  let text = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < code.length && code[j] !== c) j += code[j] === '\\' ? 2 : 1;
      if (j >= code.length) return undefined;
      strings.push(code.slice(i, j + 1));
      text += `"${strings.length - 1}"`;
      i = j + 1;
    } else if (c === '`' || c === '/') {
      // Ajv writes neither template literals nor regular expression literals in a function body (patterns are scope constants).
      return undefined;
    } else {
      text += c;
      i++;
    }
  }
  return { text, strings };
}

const restore = (text: string, strings: readonly string[]): string => text.replace(/"(\d+)"/g, (_, n: string) => strings[Number(n)] ?? '');

/** A failed `$ref` call as Ajv writes it: `if(!(callee(args))){vErrors = … callee.errors …;errors = vErrors.length;}`. */
const REF_FAILURE = /if\(!\(([\w$.]+)\(([^()]*)\)\)\)\{vErrors = vErrors === null \? \1\.errors : vErrors\.concat\(\1\.errors\);errors = vErrors\.length;\}/g;

/** `errors` or `vErrors` written as a variable, not as a property (`validate0.errors`). */
const COUNTER = /(?<![\w$.])(?:errors|vErrors)(?![\w$])/;
const COUNTER_WRITE = /(?<![\w$.])(?:errors|vErrors)\s*(?:=(?!=)|\+\+|--|\+=|-=)/;

export function withoutFirstErrorCounting(code: string): string {
  const split = withoutStrings(code);
  if (!split) return code;
  const name = /^function ([\w$]+)\(/.exec(split.text)?.[1];
  if (!name) return code;
  let text = split.text;
  // Errors taken back or counted one by one: a keyword that tries subschemas. Leave the function alone.
  if (/(?<![\w$.])errors\s*(?:\+\+|=\s*_errs)|vErrors\.length\s*=|vErrors\.push\(/.test(text)) return code;
  text = text.replace(REF_FAILURE, (_, callee: string, args: string) => `if(!(${callee}(${args}))){${name}.errors = ${callee}.errors;return false;}`);
  const end = `${name}.errors = vErrors;return errors === 0;}`;
  if (!text.endsWith(end)) return code;
  text = `${text.slice(0, -end.length)}${name}.errors = null;return true;}`;
  const declarations = 'let vErrors = null;let errors = 0;';
  const head = text.indexOf(declarations);
  if (head < 0) return code;
  const body = text.slice(0, head) + text.slice(head + declarations.length);
  // Anything else that still writes the counter: not a shape this knows.
  if (COUNTER_WRITE.test(body)) return code;
  let out = body.replace(/const (_errs\d+) = errors;/g, '').replace(/(?<![\w$.])(?:errors === _errs\d+|_errs\d+ === errors|errors === 0)(?![\w$])/g, 'true');
  // `valid…` flags that can only be true: drop them, the `if` they guard and the loop exit they take.
  const flags = new Set([...out.matchAll(/var (valid\d+) = true;/g)].map((m) => m[1] ?? ''));
  for (const flag of flags) {
    const writes = [...out.matchAll(new RegExp(`(?<![\\w$.])${flag}\\s*=(?!=)([^;]*);`, 'g'))];
    if (writes.some((w) => w[1]?.trim() !== 'true')) continue;
    out = out
      .replace(new RegExp(`else \\{var ${flag} = true;\\}`, 'g'), '')
      .replace(new RegExp(`var ${flag} = true;`, 'g'), '')
      .replace(new RegExp(`if\\(${flag}\\)\\{`, 'g'), '{')
      .replace(new RegExp(`if\\(!${flag}\\)\\{break;\\}`, 'g'), '');
    if (new RegExp(`(?<![\\w$.])${flag}(?![\\w$])`).test(out)) return code;
  }
  out = out.replace(/if\(true\)\{/g, '{');
  if (COUNTER.test(out) || /(?<![\w$.])_errs\d+/.test(out)) return code;
  return restore(out, split.strings);
}

interface CompiledSource {
  validateCode: string;
  readonly scopeValues: Readonly<Record<string, ReadonlyMap<unknown, { readonly value?: { readonly ref?: unknown } }>>>;
}
type Compiled = { readonly source?: CompiledSource };

/** Rewrites every function reachable from these compiled validators, each once, before Ajv's standalone code is taken from them. */
export function simplifyCompiled(validators: readonly unknown[]): void {
  const seen = new Set<unknown>();
  const visit = (fn: unknown): void => {
    if (typeof fn !== 'function' || seen.has(fn)) return;
    seen.add(fn);
    const source = (fn as Compiled).source;
    if (!source || typeof source.validateCode !== 'string') return;
    source.validateCode = withoutFirstErrorCounting(source.validateCode);
    for (const [prefix, names] of Object.entries(source.scopeValues ?? {})) {
      for (const n of names.values()) {
        const ref = n.value?.ref;
        if (prefix === 'validate') visit(ref);
        else if ((prefix === 'root' || prefix === 'wrapper') && typeof ref === 'object' && ref !== null) visit((ref as { readonly validate?: unknown }).validate);
      }
    }
  };
  for (const v of validators) visit(v);
}
