/**
 * The one naming rule. Every identifier and file name in the output comes from here, so spec
 * strings never become code by themselves. Collisions are resolved deterministically (by the
 * order names are claimed, which follows document order) and reported as warnings.
 */

const RESERVED_WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield await async of get set ' +
    'any boolean constructor declare module require number string symbol type from unknown never object bigint ' +
    'undefined arguments eval NaN Infinity satisfies keyof infer is readonly unique abstract accessor asserts global out'
  ).split(' '),
);

/**
 * Names that would shadow globals if used as a type. What the output imports from its runtime is
 * claimed by the normaliser from the runtime's own exports (ir/runtime-names.ts).
 */
const RESERVED_GLOBALS = new Set(
  (
    'Array Boolean Date Error Function JSON Map Math Number Object Promise Proxy Record Reflect RegExp Set String ' +
    'Symbol Uint8Array ArrayBuffer BigInt Partial Required Readonly Pick Omit Exclude Extract NonNullable ' +
    'ReturnType Awaited Iterable AsyncIterable PropertyKey globalThis console process Buffer TextEncoder TextDecoder'
  ).split(' '),
);

/** Property names that must not be used as keys of plain objects the output builds. */
const PROTOTYPE_NAMES = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'then',
]);

/**
 * Splits a raw spec string into words: on anything that is not a letter or digit, and on case
 * changes. Only characters an identifier may hold are kept: digits are decimal (Nd) or letter-like
 * (Nl), not other numerals (`௰`, `𐄇`), and letters that are also syntax (`ⸯ`) are dropped.
 */
export function words(raw: string): string[] {
  const cleaned = raw.normalize('NFKC').replace(/(?:[^\p{L}\p{Nd}\p{Nl}]|\P{ID_Continue})+/gu, ' ');
  const parts = cleaned
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(' ')
    .filter((w) => w.length > 0);
  return parts;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `user-session.begin` → `UserSessionBegin`. Inner capitals of a word are kept (`SchedAction`). */
export function pascalCase(raw: string): string {
  const result = words(raw).map(capitalise).join('');
  return safeIdentifier(result, 'Type', true);
}

/** `user-session.begin` → `userSessionBegin`. */
export function camelCase(raw: string): string {
  return safeIdentifier(camelWords(raw), 'value', false);
}

/** A camelCase property name: reserved words are fine after a dot (`client.delete`), prototype names are not. */
export function propertyName(raw: string): string {
  const name = camelWords(raw) || 'value';
  const safe = /^\p{N}/u.test(name) ? `_${name}` : name;
  return PROTOTYPE_NAMES.has(safe) ? `${safe}_` : safe;
}

function camelWords(raw: string): string {
  return words(raw)
    .map((w, i) => (i === 0 ? lowerFirstWord(w) : capitalise(w)))
    .join('');
}

/** Lowercases a leading acronym as a whole (`IAMService` → `iamService`), otherwise the first letter. */
function lowerFirstWord(word: string): string {
  if (/^\p{Lu}+$/u.test(word)) return word.toLowerCase();
  return word.charAt(0).toLowerCase() + word.slice(1);
}

function safeIdentifier(candidate: string, fallback: string, isType: boolean): string {
  let name = candidate === '' ? fallback : candidate;
  if (/^\p{N}/u.test(name)) name = `_${name}`;
  if (RESERVED_WORDS.has(name) || (isType && RESERVED_GLOBALS.has(name)) || PROTOTYPE_NAMES.has(name)) name = `${name}_`;
  return name;
}

/** `kebab-case` file names from a raw string: `User Sessions` → `user-sessions`. */
export function fileName(raw: string): string {
  const result = words(raw)
    .map((w) => w.toLowerCase())
    .join('-')
    .replace(/[^a-z0-9-]/g, '');
  return result === '' ? 'spec' : result;
}

/** Whether `key` can be written bare as a property name (`a.b`), or must be quoted (`a['x-y']`). */
export function isIdentifier(key: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
}

export interface NameWarning {
  readonly message: string;
}

/**
 * One scope of unique names (types in models.ts, or properties of the client object). The first
 * claimant of a name keeps it; later ones get `Name2`, `Name3`, … and a warning saying so.
 */
export class NameScope {
  private readonly taken = new Map<string, string>();
  readonly warnings: NameWarning[] = [];

  constructor(private readonly what: string) {}

  /** Lower-cased comparison: `userCreated` and `UserCreated` would clash as file names or on case-insensitive disks. */
  claim(preferred: string, owner: string): string {
    let name = preferred;
    for (let n = 2; this.taken.has(name.toLowerCase()); n++) name = `${preferred}${n}`;
    if (name !== preferred) {
      const first = this.taken.get(preferred.toLowerCase()) ?? '';
      this.warnings.push({
        message: `${this.what} name "${preferred}" of ${owner} is already used by ${first}; using "${name}"`,
      });
    }
    this.taken.set(name.toLowerCase(), owner);
    return name;
  }

  /** Takes a name for something outside the spec (the runtime's exports), without a warning when two differ only in case. */
  reserve(name: string, owner: string): void {
    if (!this.taken.has(name.toLowerCase())) this.taken.set(name.toLowerCase(), owner);
  }

  has(name: string): boolean {
    return this.taken.has(name.toLowerCase());
  }
}
