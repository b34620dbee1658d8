/**
 * Errors the generated client raises or reports: one hierarchy, so a program can tell them apart
 * by `instanceof MessagingError` and by `code` without reading messages. Each says which message
 * and, for data, which field. Adapter errors (NatsUnavailableError, AmqpUnroutableError, …)
 * extend these classes in their adapter's file.
 */

/** What went wrong, for a program to act on. */
export type MessagingErrorCode =
  /** A request got no reply, or a broker no confirm, in time. */
  | 'timeout'
  /** The client or transport was closed. */
  | 'closed'
  /** The broker is unreachable, or the connection is down and did not come back in time. */
  | 'unavailable'
  /** The transport cannot do this (request/reply, headers on MQTT 3.1.1). */
  | 'unsupported'
  /** Nobody subscribes to the request's address. */
  | 'no-responders'
  /** The broker took the message but could route it to no queue. */
  | 'unroutable'
  /** The broker or the receiving end refused the message. */
  | 'rejected'
  /** A payload, headers or parameters fail the message's schema. */
  | 'validation'
  | 'payload-too-large'
  /** Bytes that cannot be read as the message's content type. */
  | 'decode'
  /** A message that matches none of its channel's messages. */
  | 'unknown-message'
  /** An address the broker cannot take (a Kafka topic name). */
  | 'invalid-address'
  /** A call the client cannot make as asked: a message the endpoint does not have or send. */
  | 'usage'
  /** A message of the channel that no handler of the subscription's group takes. */
  | 'unhandled';

/** The base of every error the runtime raises. */
export class MessagingError extends Error {
  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MessagingError';
  }
}

/** A request or a broker confirm that did not come back in time. */
export class TimeoutError extends MessagingError {
  constructor(
    message: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super('timeout', message, options);
    this.name = 'TimeoutError';
  }
}

/** Something was asked of a closed client or transport. */
export class ClosedError extends MessagingError {
  constructor(message: string, options?: ErrorOptions) {
    super('closed', message, options);
    this.name = 'ClosedError';
  }
}

/** The broker cannot be reached now; the call may succeed later. */
export class UnavailableError extends MessagingError {
  constructor(message: string, options?: ErrorOptions) {
    super('unavailable', message, options);
    this.name = 'UnavailableError';
  }
}

/** What the transport cannot do at all, such as request/reply over webhooks. */
export class UnsupportedError extends MessagingError {
  constructor(message: string, options?: ErrorOptions) {
    super('unsupported', message, options);
    this.name = 'UnsupportedError';
  }
}

/** A request to an address that nobody answers. */
export class NoRespondersError extends MessagingError {
  constructor(
    readonly address: string,
    options?: ErrorOptions,
  ) {
    super('no-responders', `no subscriber answers requests on "${address}"`, options);
    this.name = 'NoRespondersError';
  }
}

/** The broker (or the receiving end of a webhook) refused the message. */
export class RejectedError extends MessagingError {
  constructor(message: string, options?: ErrorOptions) {
    super('rejected', message, options);
    this.name = 'RejectedError';
  }
}

/** A call the endpoint cannot make: a message the channel lacks, or one this endpoint does not send. */
export class UsageError extends MessagingError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

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
export class ValidationError extends MessagingError {
  constructor(
    readonly messageId: string,
    readonly part: 'payload' | 'headers' | 'parameters',
    readonly direction: Direction,
    readonly issues: readonly ValidationIssue[],
  ) {
    super('validation', `${messageId}: invalid ${part} on ${direction}: ${describe(issues)}`);
    this.name = 'ValidationError';
  }
}

/** Bytes that could not be read as the message's content type. */
export class DecodeError extends MessagingError {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super('decode', `cannot decode message on "${address}": ${reason}`);
    this.name = 'DecodeError';
  }
}

/** A message on a channel that matches none of the channel's messages. */
export class UnknownMessageError extends MessagingError {
  constructor(
    readonly address: string,
    readonly reason: string,
    readonly candidates: ReadonlyArray<{ readonly messageId: string; readonly issues: readonly ValidationIssue[] }> = [],
  ) {
    super('unknown-message', `message on "${address}" matches no message of the channel: ${reason}`);
    this.name = 'UnknownMessageError';
  }
}

/** A payload bigger than the client's `maxPayloadBytes`, refused before it reaches the transport. */
export class PayloadTooLargeError extends MessagingError {
  constructor(
    readonly messageId: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super('payload-too-large', `${messageId}: ${tooLarge(size, limit)}; send less, or raise maxPayloadBytes where both sides allow it`);
    this.name = 'PayloadTooLargeError';
  }
}

/** The words both directions use for an oversized payload. */
export function tooLarge(size: number, limit: number): string {
  return `payload is ${size} bytes, over the limit of ${limit} bytes (maxPayloadBytes)`;
}

/** What a subscription reports instead of calling its handler. */
/** A message of a group's channel that no handler of the group takes: reported, then acknowledged. */
export class UnhandledMessageError extends MessagingError {
  constructor(
    readonly address: string,
    /** Undefined outside a group when the message is one another endpoint of the channel handles. */
    readonly messageId: string | undefined,
    readonly group: string,
  ) {
    const what = messageId === undefined ? `a message on "${address}"` : `message "${messageId}" on "${address}"`;
    super(
      'unhandled',
      group === ''
        ? `${what} has no handler in this subscription; subscribe a handler for it`
        : `${what} has no handler in group "${group}"; subscribe a handler for it in this group, or use another group`,
    );
    this.name = 'UnhandledMessageError';
  }
}

export type ReceiveError = ValidationError | DecodeError | UnknownMessageError | UnhandledMessageError;
