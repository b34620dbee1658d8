/** Generates a spec into the test scratch folder and imports its client over the in-memory transport. */
import path from 'node:path';
import { writeFileSet } from '../../src/emit/write.js';
import { generateFiles } from '../../src/generate.js';
import type { GenerationOptions } from '../../src/options.js';
import { OUT } from './specs.js';

export interface Delivery {
  readonly address: string;
  readonly deliveryAttempt: number;
}

export interface Endpoint {
  publish(payload?: unknown, options?: unknown): Promise<void>;
  subscribe(handler: unknown, options?: unknown): Promise<{ close(): Promise<void> }>;
}

export interface Memory {
  publish(address: string, message: { payload: Uint8Array; headers: Record<string, string>; contentType?: string }): Promise<void>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Writes the output under `test/.out/<folder>` and returns its client, transport and validators. */
export async function generated(spec: string, folder: string, options: GenerationOptions = {}) {
  const dir = path.join(OUT, folder);
  const result = await generateFiles(spec, options);
  await writeFileSet(dir, result.files);
  const index = (await import(path.join(dir, 'index.ts'))) as Record<string, unknown>;
  const memory = (await import(path.join(dir, 'runtime', 'memory.ts'))) as { MemoryTransport: new () => Memory };
  const validators = (await import(path.join(dir, 'validators.ts'))) as Record<string, (value: unknown) => boolean>;
  const factory = Object.entries(index).find(([k]) => /^create.*Client$/.test(k))?.[1] as (t: Memory) => Record<string, Endpoint>;
  const transport = new memory.MemoryTransport();
  return { ...result, dir, index, validators, transport, client: factory(transport) };
}

export const json = (value: unknown) => ({ payload: new TextEncoder().encode(JSON.stringify(value)), headers: {}, contentType: 'application/json' });
