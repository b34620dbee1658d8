/**
 * The options that shape one spec's output, in a module of their own: the CLI builds its flags
 * from them at start-up without loading the pipeline.
 */

/** Broker adapters that can be emitted into `runtime/`; each needs its client library in the user's project. */
export const TRANSPORTS = ['nats', 'mqtt', 'amqp', 'kafka', 'webhook', 'websocket'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

export const MODEL_STYLES = ['interface', 'type'] as const;
export type ModelStyle = (typeof MODEL_STYLES)[number];

/**
 * Whose side of the spec the client serves. `application`: the service the spec describes (its
 * `send` operations publish and request, its `receive` operations subscribe and respond).
 * `client`: the mirror, for a consumer of someone else's spec (what the service sends, it
 * receives). `both`: every method on every endpoint.
 */
export const SIDES = ['both', 'application', 'client'] as const;
export type Side = (typeof SIDES)[number];

/** The extension relative imports end in: `.js` for `moduleResolution: NodeNext`, `` for bundlers, `.ts` for `allowImportingTsExtensions` (Deno, Bun, Node's type stripping). */
export const IMPORT_EXTENSIONS = ['.js', '', '.ts'] as const;
export type ImportExtension = (typeof IMPORT_EXTENSIONS)[number];

/** Formatters `postProcess` runs by name, each resolved from the user's project. */
export const FORMATTERS = ['biome', 'prettier', 'eslint'] as const;
export type FormatterName = (typeof FORMATTERS)[number];

/**
 * A formatter for the generated files: a preset, or a command (an argument list, run without a
 * shell) that reads a file's text on stdin and prints the formatted text; `{file}` in an argument
 * is replaced by the path the file will have, so the formatter finds the project's settings.
 */
export type PostProcess = FormatterName | { readonly command: readonly string[] };

/** RFC 6902 operations, the ones a JSON Patch may hold. */
export const PATCH_OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;

/** One RFC 6902 (JSON Patch) operation on the spec as written: `path` and `from` are JSON pointers into it. */
export interface PatchOperation {
  readonly op: (typeof PATCH_OPS)[number];
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string | undefined;
}

/** Patches and where they were written, so errors and the output name their config file. */
export interface SpecPatches {
  /** The config file (or the `--patches` file) that holds them. */
  readonly source: string;
  /** JSON pointer of the list in that file: `/specs/0/patches`, or `` for a patch file. */
  readonly at: string;
  readonly operations: readonly PatchOperation[];
}

/** What shapes the output of one spec. Every field but `spec` has a default; config keys and CLI flags map onto these. */
export interface GenerationOptions {
  /**
   * Adapters to emit besides the in-memory transport. Default: those named by the protocols of
   * the spec's `servers` (nats, mqtt/mqtt5, amqp, kafka/kafka-secure, http/https → webhook, ws/wss → websocket).
   */
  readonly transports?: readonly TransportName[] | undefined;
  /** Validate payloads and headers on publish and receive. Default true; false keeps only the types. */
  readonly validation?: boolean | undefined;
  /** `interface` (default) or `type` aliases for object models. */
  readonly modelStyle?: ModelStyle | undefined;
  /** Base name of the client: `Sessions` gives `createSessionsClient` and `SessionsClient`; default from the spec's title. */
  readonly clientName?: string | undefined;
  /** Which methods the endpoints offer: `both` (default), `application` or `client`; see SIDES. */
  readonly side?: Side | undefined;
  /**
   * A folder for the runtime, shared by several specs (`generated/runtime`): their clients import it
   * from there instead of each carrying a `runtime/` of its own, so one program that uses several
   * specs has one `MessagingError` (and `instanceof` works across them) and one copy of each adapter.
   * Default: `runtime/` inside each output folder.
   */
  readonly runtime?: string | undefined;
  /** Folder of Handlebars partials that replace built-in ones of the same name. */
  readonly templates?: string | undefined;
  /**
   * Follow `$ref`s that lead outside the spec's folder or to a URL. Default false: such refs are
   * refused before anything is read, so a spec cannot make the generator read or fetch elsewhere.
   */
  readonly allowExternalRefs?: boolean | undefined;
  /**
   * Changes to the spec, applied to the document as written before it is parsed: a way to accept
   * what a vendor really sends without editing the vendor's file. A list of RFC 6902 operations
   * (`{ "op": "replace", "path": "/components/…/type", "value": ["string", "null"] }`). Each
   * applied patch is reported and listed in the generated files' header.
   */
  readonly patches?: readonly PatchOperation[] | SpecPatches | undefined;
  /**
   * Which channels and operations to generate, as glob patterns: `channel:user/*` (a channel's id
   * or address), `operation:on*` (an operation's id), `*Debug*` (either); a leading `!` excludes.
   * See README, "Filter". Default: everything.
   */
  readonly filter?: readonly string[] | undefined;
  /** Text put at the top of every generated file, above the do-not-edit line (e.g. `/* eslint-disable *\/`). */
  readonly header?: string | undefined;
  /** The extension of relative imports in every generated file; default `.js`. See IMPORT_EXTENSIONS. */
  readonly importExtension?: ImportExtension | undefined;
  /** Formats the generated files before they replace the previous output; `check` compares after it too. */
  readonly postProcess?: PostProcess | undefined;
}
