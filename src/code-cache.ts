/**
 * V8 code caches the build writes beside compiled code (scripts/code-cache.mjs,
 * scripts/code-cache-bundle.mjs): a SHA-256 of V8's data, then the data. V8 checks a cache's
 * version, flags and the source's length, but in release builds not its bytes, and a cache
 * damaged on disk crashes the process while it is deserialised (V8_Fatal). So a cache whose digest
 * does not match is not handed to V8: the code compiles as usual, and nothing is printed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const DIGEST_BYTES = 32;

/** V8's data of the cache at `file`, or undefined when it is missing or damaged. */
export function readCodeCache(file: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  const payload = data.subarray(DIGEST_BYTES);
  return createHash('sha256').update(payload).digest().equals(data.subarray(0, DIGEST_BYTES)) ? payload : undefined;
}
