/**
 * The validators compiled in a worker thread, beside Modelina on the main one (parallel.ts). Ajv's
 * compilation is the longest stage of a large spec and needs nothing but the IR's schemas.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCodegenError } from '../errors.js';
import type { SpecSource } from '../spec/load.js';
import { compileValidators, type ValidatorInput } from './ajv.js';

const { ir, source } = workerData as { ir: ValidatorInput; source: SpecSource | undefined };
try {
  parentPort?.postMessage({ ok: await compileValidators(ir, source) });
} catch (error) {
  // A CodegenError crosses as its fields; anything else as its stack, reported as internal.
  parentPort?.postMessage(
    isCodegenError(error)
      ? { codegenError: { code: error.code, message: error.message, hint: error.hint, location: error.location, diagnostics: error.diagnostics } }
      : { internal: error instanceof Error ? (error.stack ?? error.message) : String(error) },
  );
}
