/**
 * The intermediate representation: everything the generators need, fully resolved, in a stable
 * order, carrying every identifier the output will use. Templates and generators read only this.
 */
import type { Diagnostic } from '../errors.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema object as it goes to Modelina and Ajv: `$ref`s point into `definitions`. */
export type JsonSchema = boolean | { [keyword: string]: unknown };

export interface Docs {
  readonly title?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly deprecated: boolean;
}

export interface IrSpec {
  /** The spec file as the user named it (diagnostics); never written into the output. */
  readonly file: string;
  /** The spec's file name without folders, for the header comment. */
  readonly fileBase: string;
  readonly title: string;
  readonly version: string;
  readonly description?: string;
  /** `UserSessions`: gives `createUserSessionsClient` and `UserSessionsClient`. */
  readonly clientName: string;
  /** The client interface's name (`UserSessionsClient`). */
  readonly clientType: string;
  /** The client factory's name (`createUserSessionsClient`). */
  readonly factoryName: string;
  readonly defaultContentType: string;
  /** Protocols of the spec's servers, lower-case and sorted (`kafka`, `mqtt`). */
  readonly protocols: readonly string[];
  readonly schemas: IrSchemas;
  readonly messages: readonly IrMessage[];
  readonly channels: readonly IrChannel[];
  readonly operations: readonly IrOperation[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface IrSchemas {
  /** Hoisted schemas by final type name, in the order names were decided. */
  readonly definitions: ReadonlyMap<string, JsonSchema>;
}

export interface IrMessage {
  /** Key of the message in its channel (`userSessionBegin`): the wire-independent id. */
  readonly id: string;
  /** camelCase name, unique among messages; its constant is `<key>Message`. */
  readonly key: string;
  /** The message's `name` field, if any (`com.qlik.user-session.begin`). */
  readonly name?: string;
  readonly docs: Docs;
  readonly contentType: string;
  /** Definition name of the payload, or undefined when the message has no payload. */
  readonly payload?: string;
  /** Definition name of the headers schema, if any. */
  readonly headers?: string;
  /** Identifier of the message's definition constant in the output (`userSessionBeginMessage`). */
  readonly constName: string;
  /** Names of the generated validator functions. */
  readonly payloadValidator?: string;
  readonly headersValidator?: string;
  readonly examples: readonly JsonValue[];
  /** The dereferenced payload schema, for analysis (discriminators); never rendered directly. */
  readonly payloadSchema?: unknown;
  /** Set when the payload is a CloudEvent (it requires specversion, id, source and type). */
  readonly cloudEvent?: IrCloudEvent;
  /** Set when the payload or headers carry secrets: where they are, to redact them in errors. */
  readonly sensitive?: IrSensitive;
}

/** JSON-pointer patterns of secret values (`*`: any one segment, `**`: any number); see ir/sensitive.ts. */
export interface IrSensitive {
  readonly payload: readonly string[];
  readonly headers: readonly string[];
}

export interface IrCloudEventAttribute {
  /** Attribute name as in the payload (`tenantid`); lower-case by the CloudEvents rules. */
  readonly name: string;
  /** How the attribute's string form in a header turns back into its JSON value. */
  readonly kind: 'string' | 'integer' | 'number' | 'boolean';
}

export interface IrCloudEvent {
  /** The event type the schema pins (`const`, one-value `enum` or `default`), filled when missing. */
  readonly type?: string;
  /** Top-level payload properties other than `data`: what binary mode carries as headers. */
  readonly attributes: readonly IrCloudEventAttribute[];
}

export interface IrParameter {
  /** The wire name, as in `{tenantId}`; kept verbatim and quoted where needed. */
  readonly name: string;
  readonly description?: string;
  readonly enum?: readonly string[];
  readonly default?: string;
  readonly examples: readonly string[];
}

export interface IrDiscriminator {
  /** Top-level property whose value tells the channel's messages apart. */
  readonly property: string;
  /** Value per message id. */
  readonly values: ReadonlyMap<string, JsonValue>;
  /** How the value is pinned: a `const`, a one-value `enum`, or only a `default`. */
  readonly source: 'const' | 'enum' | 'default' | 'discriminator';
}

export interface IrChannel {
  readonly id: string;
  /** camelCase identifier (`systemEventsUserSession`). */
  readonly key: string;
  readonly constName: string;
  /** Parameters interface name, when the address has parameters. */
  readonly parametersType?: string;
  /** Address template; channels without one get their id as address. */
  readonly address: string;
  readonly addressIsId: boolean;
  readonly parameters: readonly IrParameter[];
  /** Message ids, in channel order. */
  readonly messages: readonly string[];
  readonly discriminator?: IrDiscriminator;
  readonly docs: Docs;
}

export interface IrReply {
  /** The reply channel; undefined when the reply names only an address (or nothing). */
  readonly channel?: string | undefined;
  /** Message ids of the reply; empty: the reply carries no payload. */
  readonly messages: readonly string[];
}

export interface IrOperation {
  readonly id: string;
  /** Property name on the client object (`userSessionBegin`). */
  readonly key: string;
  readonly action: 'send' | 'receive';
  readonly channel: string;
  /** Message ids (the channel's when the operation has no `messages` key); empty: no payload. */
  readonly messages: readonly string[];
  readonly docs: Docs;
  readonly reply?: IrReply;
}
