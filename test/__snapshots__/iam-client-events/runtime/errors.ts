/** Errors the generated client raises or reports. Each says which message and, for data, which field. */

export interface ValidationIssue {
  /** JSON pointer to the field, e.g. `/data/subject`; `` for the whole value. */
  readonly pointer: string;
  readonly message: string;
  /** The JSON Schema keyword that failed (`required`, `type`, `enum`, …). */
  readonly keyword: string;
}

export type Direction = 'publish' | 'receive';

function describe(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.pointer === '' ? '(root)' : i.pointer} ${i.message}`).join('; ');
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

/** What a subscription reports instead of calling its handler. */
export type ReceiveError = ValidationError | DecodeError | UnknownMessageError;
