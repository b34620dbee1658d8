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

/** A type guard with reasons: `T` is what the value is once the check passes. */
export type Check<T> = (value: unknown) => CheckResult<T>;

function escapePointer(key: string): string {
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

export function checkWith<T>(validate: RawValidator): Check<T> {
  return (value) => {
    if (validate(value)) return { ok: true, value: value as T };
    return { ok: false, issues: (validate.errors ?? []).map(toIssue) };
  };
}

/** For messages whose spec gives no schema: anything is accepted. */
export function acceptAnything<T>(): Check<T> {
  return (value) => ({ ok: true, value: value as T });
}
