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

/** Marks a block whose `if` was taken out (it can only be entered). */
const BARE = '\u0001';

/**
 * The blocks left of the `if`s taken out, without their braces where nothing is declared in them
 * (a `let` or `const` in one is scoped to it). Undefined when the braces do not pair up.
 */
function withoutBareBlocks(text: string): string | undefined {
  const drop = new Set<number>();
  const open: Array<{ readonly at: number; readonly bare: boolean; declares: boolean }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') open.push({ at: i, bare: text[i - 1] === BARE, declares: false });
    else if (c === '}') {
      const block = open.pop();
      if (!block) return undefined;
      if (block.bare && !block.declares) drop.add(block.at).add(i);
    } else if ((c === 'l' || c === 'c' || c === 'f') && !/[\w$.]/.test(text[i - 1] ?? '') && /^(?:let|const|class|function)[^\w$]/.test(text.slice(i, i + 9))) {
      const block = open[open.length - 1];
      if (block) block.declares = true;
    }
  }
  if (open.length > 0) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i++) if (!drop.has(i) && text[i] !== BARE) out += text[i];
  return out;
}

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
      .replace(new RegExp(`if\\(${flag}\\)\\{`, 'g'), `${BARE}{`)
      .replace(new RegExp(`if\\(!${flag}\\)\\{break;\\}`, 'g'), '');
    if (new RegExp(`(?<![\\w$.])${flag}(?![\\w$])`).test(out)) return code;
  }
  out = out.replace(/if\(true\)\{/g, `${BARE}{`);
  if (COUNTER.test(out) || /(?<![\w$.])_errs\d+/.test(out)) return code;
  const unwrapped = withoutBareBlocks(out);
  return unwrapped === undefined ? code : restore(unwrapped, split.strings);
}

interface CompiledSource {
  validateCode: string;
  readonly scopeValues: Readonly<Record<string, ReadonlyMap<unknown, { readonly value?: { readonly ref?: unknown } }>>>;
}
type Compiled = { readonly source?: CompiledSource };

/**
 * Rewrites every function reachable from these compiled validators, each once, before Ajv's
 * standalone code is taken from them: the first-error counting out (above), then the call context
 * (below).
 */
export function simplifyCompiled(validators: readonly unknown[]): void {
  const seen = new Set<unknown>();
  const sources: CompiledSource[] = [];
  const visit = (fn: unknown): void => {
    if (typeof fn !== 'function' || seen.has(fn)) return;
    seen.add(fn);
    const source = (fn as Compiled).source;
    if (!source || typeof source.validateCode !== 'string') return;
    source.validateCode = withoutFirstErrorCounting(source.validateCode);
    sources.push(source);
    for (const [prefix, names] of Object.entries(source.scopeValues ?? {})) {
      for (const n of names.values()) {
        const ref = n.value?.ref;
        if (prefix === 'validate') visit(ref);
        else if ((prefix === 'root' || prefix === 'wrapper') && typeof ref === 'object' && ref !== null) visit((ref as { readonly validate?: unknown }).validate);
      }
    }
  };
  for (const v of validators) visit(v);
  withoutUnusedContext(sources);
}

const SIGNATURE = '(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){';
/** A call of another validator with the context Ajv passes down: `validate5(data.x, {instancePath:…,parentData:data,parentDataProperty:"x",rootData})`. */
const CONTEXT_CALL = /([\w$.]+)\(([^(){}]*), \{(instancePath(?::[^(){},]*)?),parentData(?::[^(){},]*)?,parentDataProperty(?::[^(){},]*)?,rootData\}\)/g;

/**
 * Ajv hands every `$ref` call the parent object, the property's name and the root value, which only
 * a few keywords read (coercion writes the coerced value back into the parent; `$data` and dynamic
 * references read the root). A function whose code never reads them, nor passes them to a function
 * that does, is declared with `instancePath` alone and called with it alone: about 90 bytes less at
 * every call of a shared definition. A function whose text is not in the shapes known here keeps
 * Ajv's signature and is taken to read all three.
 */
function withoutUnusedContext(sources: readonly CompiledSource[]): void {
  interface Fn {
    readonly source: CompiledSource;
    readonly name: string;
    /** The code after the signature, its strings set aside. */
    readonly body: string;
    readonly strings: readonly string[];
    readonly callees: readonly string[];
    reads: boolean;
  }
  const fns = new Map<string, Fn>();
  for (const source of sources) {
    const name = /^function ([\w$]+)\(/.exec(source.validateCode)?.[1];
    const header = `function ${name}${SIGNATURE}`;
    const split = name && source.validateCode.startsWith(header) ? withoutStrings(source.validateCode.slice(header.length)) : undefined;
    if (!name || !split) continue; // not a shape known here: it keeps Ajv's signature, and its callees count as reading the context
    const callees = [...split.text.matchAll(CONTEXT_CALL)].map((m) => m[1] ?? '');
    const rest = split.text.replace(CONTEXT_CALL, '');
    fns.set(name, { source, name, body: split.text, strings: split.strings, callees, reads: /(?<![\w$.])(?:parentData|parentDataProperty|rootData)(?![\w$])/.test(rest) });
  }
  // A function reads the context when its own code does, or when it passes it to one that does (or to one not known here).
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of fns.values()) {
      if (!fn.reads && fn.callees.some((c) => fns.get(c)?.reads ?? true)) {
        fn.reads = true;
        changed = true;
      }
    }
  }
  const trimmed = (callee: string): boolean => fns.get(callee)?.reads === false;
  for (const fn of fns.values()) {
    const body = restore(
      fn.body.replace(CONTEXT_CALL, (call, callee: string, data: string, instancePath: string) => (trimmed(callee) ? `${callee}(${data}, {${instancePath}})` : call)),
      fn.strings,
    );
    fn.source.validateCode = `function ${fn.name}${fn.reads ? SIGNATURE : '(data, {instancePath=""}={}){'}${body}`;
  }
  // Functions not known here keep calling with the whole context: a trimmed callee takes what it reads and ignores the rest.
}
