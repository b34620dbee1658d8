/**
 * The `generate` command as the bundle's CommonJS file (dist/bundle/generate-*.cjs), loaded with a
 * V8 code cache by src/cli/load-commonjs.ts. It carries its own copy of every module it uses, so
 * errors are reported here, by this copy's `report`: the ES module side's `CodegenError` is
 * another class, and its `instanceof` would call a user's mistake an internal error.
 */
import { enableTimings } from '../timings.js';
import { type GenerateCommandOptions, generateCommand as run } from './generate.js';
import { report } from './report.js';

export { enableTimings };

export async function generateCommand(options: GenerateCommandOptions): Promise<number> {
  try {
    return await run(options);
  } catch (error) {
    return report(error);
  }
}
