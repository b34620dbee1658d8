/** The shape of `codegen.config.{json,mjs,js,ts,mts}`, for editors and for config written as code. */
import type { GenerationOptions } from '../generate.js';

/** One spec and where its client goes; its options override the config's top-level `options`. */
export interface SpecConfig extends GenerationOptions {
  /** Path of the AsyncAPI document, relative to the config file. */
  readonly spec: string;
  /** Output folder, relative to the config file. Each spec needs its own. */
  readonly output: string;
}

export interface Config {
  readonly $schema?: string | undefined;
  /** Defaults for every spec. */
  readonly options?: GenerationOptions | undefined;
  readonly specs: readonly SpecConfig[];
}

/**
 * Types a config written as code; returns it unchanged.
 *
 * ```ts
 * // codegen.config.ts
 * import { defineConfig } from 'asyncapi-ts-codegen';
 * export default defineConfig({ options: { modelStyle: 'type' }, specs: [{ spec: 'orders.yaml', output: 'generated/orders' }] });
 * ```
 */
export function defineConfig<const T extends Config>(config: T): T {
  return config;
}
