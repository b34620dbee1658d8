/** Errors the generated client raises or reports. Each says which message and, for data, which field. */

export interface ValidationIssue {
  /** JSON pointer to the field, e.g. `/data/subject`; `` for the whole value. */
  readonly pointer: string;
  readonly message: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `enum`, …). */
  readonly keyword: string;
  /**
   * The offending value, short and on one line (`"bogus"`, `{"id":1,…`); secrets, and secrets
   * inside it, show as `[redacted]`. Absent for a missing field.
   */
  readonly value?: string | undefined;
}

export type Direction = 'publish' | 'receive';

function describe(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.pointer === '' ? '(root)' : i.pointer} ${i.message}${i.value === undefined ? '' : ` (got ${i.value})`}`).join('; ');
}

/** A payload or headers that do not match the message's schema. */
export class ValidationError extends Error {
  constructor(
    readonly messageId: string,
    readonly part: 'payload' | 'headers' | 'parameters',
    readonly direction: Direction,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(`${messageId}: invalid ${part} on ${direction}: ${describe(issues)}`);
    this.name = 'ValidationError';
  }
}

/** Bytes that could not be read as the message's content type. */
export class DecodeError extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`cannot decode message on "${address}": ${reason}`);
    this.name = 'DecodeError';
  }
}

/** A message on a channel that matches none of the channel's messages. */
export class UnknownMessageError extends Error {
  constructor(
    readonly address: string,
    reason: string,
    readonly candidates: ReadonlyArray<{ readonly messageId: string; readonly issues: readonly ValidationIssue[] }> = [],
  ) {
    super(`message on "${address}" matches no message of the channel: ${reason}`);
    this.name = 'UnknownMessageError';
  }
}

/** A payload bigger than the client's `maxPayloadBytes`, refused before it reaches the transport. */
export class PayloadTooLargeError extends Error {
  constructor(
    readonly messageId: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`${messageId}: ${tooLarge(size, limit)}; send less, or raise maxPayloadBytes where both sides allow it`);
    this.name = 'PayloadTooLargeError';
  }
}

/** The words both directions use for an oversized payload. */
export function tooLarge(size: number, limit: number): string {
  return `payload is ${size} bytes, over the limit of ${limit} bytes (maxPayloadBytes)`;
}

/** What a subscription reports instead of calling its handler. */
export type ReceiveError = ValidationError | DecodeError | UnknownMessageError;
