/**
 * Validators and models are independent once the IR exists, so for a large spec the validators
 * are compiled in a worker thread while Modelina runs on the main one: the second core does the
 * longest stage. A small spec compiles them in this thread, where a worker's start (loading Ajv
 * again) would cost more than it saves. Unbundled runs (tests through tsx) have no built worker
 * and stay in this thread too.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CodegenError } from '../errors.js';
import type { SpecSource } from '../spec/load.js';
import { compileValidators, type CompiledValidators, type ValidatorInput } from './ajv.js';

/** Messages from which a worker pays off (measured at 100 and 1,000 channels; see bench/README.md). */
const WORKER_FROM_MESSAGES = 100;

/** The bundle's worker entry (scripts/build.mjs), beside the chunk this module is in. */
const WORKER = new URL('./validators-worker.js', import.meta.url);

type Reply =
  | { readonly ok: CompiledValidators }
  | { readonly codegenError: ConstructorParameters<typeof CodegenError>[0] }
  | { readonly internal: string };

export function compileValidatorsBeside(ir: ValidatorInput, source?: SpecSource): Promise<CompiledValidators> {
  if (ir.messages.length < WORKER_FROM_MESSAGES || WORKER.protocol !== 'file:' || !existsSync(WORKER)) return compileValidators(ir, source);
  const input: ValidatorInput = { file: ir.file, messages: ir.messages, schemas: ir.schemas };
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: { ir: input, source } });
    worker.once('message', (reply: Reply) => {
      if ('ok' in reply) resolve(reply.ok);
      else if ('codegenError' in reply) reject(new CodegenError(reply.codegenError));
      else reject(new Error(`internal: the validators worker failed\n${reply.internal}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`internal: the validators worker exited (${code}) without an answer`)));
  });
}
