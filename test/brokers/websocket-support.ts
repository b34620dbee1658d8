/** What the WebSocket tests share: the two public WebSocket specs generated once per file, and their clients' shapes. */
import path from 'node:path';
import { writeFileSet } from '../../src/emit/write.js';
import { generateFiles } from '../../src/generate.js';
import { OUT, ROOT } from '../support/specs.js';

export const GEMINI = path.join(ROOT, 'test', 'fixtures', 'websocket', 'gemini.yml');
export const KRAKEN = path.join(ROOT, 'test', 'fixtures', 'websocket', 'kraken.yml');

export interface Subscription {
  close(): Promise<void>;
}
interface Options {
  readonly parameters?: Readonly<Record<string, string>>;
  readonly onError?: (error: { readonly code: string; readonly message: string }) => void;
}
export interface Endpoint<T> {
  publish(payload: T, options?: Options): Promise<void>;
  subscribe(handler: (payload: T, context: { readonly address: string; readonly parameters: Readonly<Record<string, string>> }) => Promise<void>, options?: Options): Promise<Subscription>;
}
export interface RequestEndpoint<T, R> extends Endpoint<T> {
  request(payload: T, options?: Options & { readonly timeoutMs?: number }): Promise<R>;
  respond(handler: (payload: T) => R | Promise<R>, options?: Options): Promise<Subscription>;
}

export interface Ping {
  event: 'ping';
  reqid?: number;
}
export interface Pong {
  event: 'pong';
  reqid?: number;
}
export interface KrakenClient {
  readonly receivePing: RequestEndpoint<Ping, Pong>;
  readonly heartbeat: Endpoint<{ event: 'heartbeat' }>;
  readonly systemStatus: Endpoint<{ event: 'systemStatus'; status?: string; version?: string }>;
}
export interface Market {
  readonly type: string;
  readonly socket_sequence: number;
  readonly [key: string]: unknown;
}
export interface GeminiClient {
  readonly sendMarketData: Endpoint<Market>;
}

/** Generates a spec with the WebSocket adapter under `test/.out/<folder>` and returns its client factory. */
export async function generatedClient<C>(spec: string, folder: string): Promise<{ readonly dir: string; readonly create: (transport: unknown) => C }> {
  const dir = path.join(OUT, folder);
  const result = await generateFiles(spec, { transports: ['websocket'] });
  await writeFileSet(dir, result.files);
  const index = (await import(path.join(dir, 'index.ts'))) as Record<string, unknown>;
  const create = Object.entries(index).find(([k]) => /^create.*Client$/.test(k))?.[1] as (transport: unknown) => C;
  return { dir, create };
}

export function deferred<T>(): { readonly promise: Promise<T>; readonly resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
