/** Adapts validators compiled at generation time (Ajv standalone) to typed checks with JSON pointers. */
import type { ValidationIssue } from './errors.js';

/** The shape of an Ajv standalone validate function. */
export interface RawValidator {
  (data: unknown): boolean;
  errors?: ReadonlyArray<RawValidatorError> | null;
}

export interface RawValidatorError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string | undefined;
  readonly params: Readonly<Record<string, unknown>>;
}

export type CheckResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/**
 * A type guard with reasons: `T` is what the value is once the check passes. Every check is also
 * a Standard Schema (`~standard`, the interface zod, valibot and arktype implement), so a message's
 * `payload` can be handed to tRPC, form libraries and anything else that accepts one.
 */
export type Check<T> = ((value: unknown) => CheckResult<T>) & StandardSchemaV1<unknown, T>;

/** The Standard Schema interface, v1 (standardschema.dev), as its authors ask: copied, not imported. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaProps<Input, Output>;
}

export interface StandardSchemaProps<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

export type StandardSchemaResult<Output> = { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** `/data/tags/0` → `['data', 'tags', 0]`: the path Standard Schema consumers read. */
function pathOf(pointer: string): PropertyKey[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

/** A check function, made a Standard Schema as well. */
function standard<T>(check: (value: unknown) => CheckResult<T>): Check<T> {
  const validate = (value: unknown): StandardSchemaResult<T> => {
    const result = check(value);
    return result.ok ? { value: result.value } : { issues: result.issues.map((i) => ({ message: `${i.pointer === '' ? '(root)' : i.pointer} ${i.message}`, path: pathOf(i.pointer) })) };
  };
  return Object.assign(check, { '~standard': { version: 1, vendor: 'asyncapi-ts-codegen', validate } as const });
}

export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Points `required` and `additionalProperties` failures at the field itself, not its parent. */
function toIssue(error: RawValidatorError): ValidationIssue {
  const missing = error.params['missingProperty'];
  const property = missing ?? error.params['additionalProperty'] ?? error.params['unevaluatedProperty'];
  if (typeof property === 'string') {
    const pointer = `${error.instancePath}/${escapePointer(property)}`;
    // `required` and `dependencies`/`dependentRequired` all report the absent field as missingProperty.
    const message = typeof missing === 'string' ? 'is required' : 'is not allowed';
    return { pointer, keyword: error.keyword, message };
  }
  return { pointer: error.instancePath, keyword: error.keyword, message: error.message ?? `fails ${error.keyword}` };
}

/** The keyword of the issue reported when the validator itself fails rather than the value. */
export const VALIDATOR_FAILED = 'validator';

/** Longest reason quoted from a thrown error, so a report stays one readable line. */
const REASON_LENGTH = 120;

/**
 * What a validator that threw says about the value: it was not shown to be valid, so it is refused.
 * Only the error's name and message are quoted, never the value.
 */
function failure(error: unknown): ValidationIssue {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : 'a non-Error value';
  const short = reason.length > REASON_LENGTH ? `${reason.slice(0, REASON_LENGTH - 1)}…` : reason;
  return { pointer: '', keyword: VALIDATOR_FAILED, message: `could not be checked: the validator failed (${short})` };
}

/** The yes/no test behind each check made here: a check passes a value through unchanged when it holds. */
const tests = new WeakMap<Check<unknown>, (value: unknown) => boolean>();

/**
 * A validator that throws (a stack overflow on a recursive schema, a bug) refuses the value like
 * any failed check, so a publish rejects with a ValidationError and a receive reaches `onError`
 * instead of being redelivered until it is dead-lettered.
 */
export function checkWith<T>(validate: RawValidator): Check<T> {
  const check = standard<T>((value) => {
    try {
      if (validate(value)) return { ok: true, value: value as T };
      return { ok: false, issues: (validate.errors ?? []).map(toIssue) };
    } catch (error) {
      return { ok: false, issues: [failure(error)] };
    }
  });
  tests.set(check, (value) => {
    try {
      return Boolean(validate(value));
    } catch {
      return false;
    }
  });
  return check;
}

const acceptAll = (): boolean => true;

/** For messages whose spec gives no schema: anything is accepted. */
export function acceptAnything<T>(): Check<T> {
  const check = standard<T>((value) => ({ ok: true, value: value as T }));
  tests.set(check, acceptAll);
  return check;
}

/**
 * The plain test behind a check, for the client's hot path: true when the check would pass the
 * value through unchanged, false when it would fail (run the check then, for its issues). It
 * never throws, and builds nothing per call. Undefined for a check not made by this module (its
 * result, not the value given, is what passes).
 */
export function quickTest(check: Check<unknown>): ((value: unknown) => boolean) | undefined {
  return tests.get(check);
}

// ── safe reports: the offending value, short, with secrets redacted ─────────────────────────────

/** What a secret shows as in errors and logs. */
export const REDACTED = '[redacted]';
/** Longest rendering of an offending value, so a report stays one readable line. */
const PREVIEW_LENGTH = 60;

/**
 * A message's secret locations, worked out from its schemas at generation time: JSON-pointer
 * patterns where `*` stands for any one segment and `**` for any number of them.
 */
export interface SensitiveLocations {
  readonly payload?: readonly string[] | undefined;
  readonly headers?: readonly string[] | undefined;
}

export interface RedactOptions {
  /** Match names whatever their case: for headers. */
  readonly ignoreCase?: boolean | undefined;
}

/** A pattern as segments, and how far along it a location has come. */
type State = readonly [pattern: readonly string[], at: number];

interface Compiled {
  readonly states: readonly State[];
  /** The names secrets go by (lower-case), redacted wherever they turn up in a value of the wrong shape. */
  readonly names: ReadonlySet<string>;
}

const compiled = new WeakMap<readonly string[], Compiled>();

function splitPointer(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `**` may match nothing, so a state before it is also a state after it. */
function closure(states: readonly State[]): State[] {
  const out: State[] = [];
  for (const state of states) {
    let at = state[1];
    out.push([state[0], at]);
    while (state[0][at] === '**') out.push([state[0], ++at]);
  }
  return out;
}

function compile(patterns: readonly string[]): Compiled {
  let found = compiled.get(patterns);
  if (!found) {
    const split = patterns.map(splitPointer);
    const names = split.map((p) => p[p.length - 1]).filter((n): n is string => n !== undefined && n !== '*' && n !== '**');
    found = { states: closure(split.map((p): State => [p, 0])), names: new Set(names.map((n) => n.toLowerCase())) };
    compiled.set(patterns, found);
  }
  return found;
}

/** `fold`: names match whatever their case (header names, which some transports lower-case). */
function step(states: readonly State[], key: string, fold: boolean): State[] {
  const next: State[] = [];
  for (const [pattern, at] of states) {
    const segment = pattern[at];
    if (segment === '**') next.push([pattern, at]);
    else if (segment === '*' || segment === key || (fold && segment?.toLowerCase() === key.toLowerCase())) next.push([pattern, at + 1]);
  }
  return closure(next);
}

function ended(states: readonly State[]): boolean {
  return states.some(([pattern, at]) => at === pattern.length);
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Walks a value along the secret patterns. Invalid data need not have the schema's shape (an
 * array where an object belongs), so a key named like a secret is redacted wherever it sits.
 */
class Redactor {
  constructor(
    private readonly patterns: Compiled,
    private readonly fold: boolean,
  ) {}

  get start(): readonly State[] {
    return this.patterns.states;
  }

  /** The states one key further, or undefined when that key holds a secret. */
  enter(states: readonly State[], key: string): readonly State[] | undefined {
    if (this.patterns.names.has(key.toLowerCase())) return undefined;
    const next = step(states, key, this.fold);
    return ended(next) ? undefined : next;
  }

  /** The value short and on one line, every secret inside it replaced by `[redacted]`. */
  render(value: unknown, states: readonly State[]): string {
    let text = '';
    // Each write says whether there is room for more, so a huge value costs no more than a small one.
    const put = (s: string): boolean => {
      text += s;
      return text.length <= PREVIEW_LENGTH;
    };
    const walk = (v: unknown, at: readonly State[] | undefined): boolean => {
      if (at === undefined) return put(REDACTED);
      if (Array.isArray(v)) {
        if (!put('[')) return false;
        for (let i = 0; i < v.length; i++) if ((i > 0 && !put(',')) || !walk(v[i], this.enter(at, String(i)))) return false;
        return put(']');
      }
      if (isContainer(v)) {
        if (!put('{')) return false;
        let first = true;
        for (const [key, item] of Object.entries(v)) {
          if (item === undefined) continue;
          if ((!first && !put(',')) || !put(`${JSON.stringify(key)}:`) || !walk(item, this.enter(at, key))) return false;
          first = false;
        }
        return put('}');
      }
      if (typeof v === 'string') return put(JSON.stringify(v.length > PREVIEW_LENGTH ? v.slice(0, PREVIEW_LENGTH + 1) : v));
      return put(typeof v === 'bigint' ? `${v}` : (JSON.stringify(v) ?? String(v)));
    };
    walk(value, states);
    if (text.length <= PREVIEW_LENGTH) return text;
    // Cut before a lone surrogate half would be left at the end.
    const end = /[\uD800-\uDBFF]/.test(text.charAt(PREVIEW_LENGTH - 2)) ? PREVIEW_LENGTH - 2 : PREVIEW_LENGTH - 1;
    return `${withoutPartialMarker(text.slice(0, end))}…`;
  }
}

/** A cut through `[redacted]` would read like data: the marker goes whole or not at all. */
function withoutPartialMarker(text: string): string {
  for (let k = REDACTED.length - 1; k > 0; k--) if (text.endsWith(REDACTED.slice(0, k))) return text.slice(0, -k);
  return text;
}

/**
 * The value at `pointer` inside `root`, rendered for a report: `"bogus"`, `{"user":"x","secret":[redacted]}`,
 * or `[redacted]` when the location itself is secret. Undefined when nothing is there.
 */
export function preview(root: unknown, pointer: string, sensitive: readonly string[] = [], options: RedactOptions = {}): string | undefined {
  const redactor = new Redactor(compile(sensitive), options.ignoreCase ?? false);
  let states: readonly State[] | undefined = redactor.start;
  if (ended(states)) return REDACTED;
  let value = root;
  for (const key of splitPointer(pointer)) {
    if (!isContainer(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
    states = redactor.enter(states, key);
    if (states === undefined) return value === undefined ? undefined : REDACTED;
  }
  return value === undefined ? undefined : redactor.render(value, states);
}

/** The issues with the offending value of each (except missing fields and failed validators), secrets redacted. */
export function withValues(issues: readonly ValidationIssue[], root: unknown, sensitive: readonly string[] = [], options: RedactOptions = {}): ValidationIssue[] {
  return issues.map((issue) => {
    // A failed validator judged nothing in particular: the whole value would be echoed for no reason.
    const skip = issue.keyword === 'required' || issue.keyword === VALIDATOR_FAILED || issue.value !== undefined;
    const value = skip ? undefined : preview(root, issue.pointer, sensitive, options);
    return value === undefined ? issue : { ...issue, value };
  });
}
