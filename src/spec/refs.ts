/**
 * Where `$ref`s lead, in one place for the ref policy (which refs may be followed), the output
 * cache's key and `watch` (which files a spec pulls in): each reads a ref's target the same way,
 * so the cache hashes exactly the files the policy let the parser read.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REF = /["']?\$ref["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|([^\s,}\]]+))/g;
const URL_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

/** Where a ref leads: nowhere outside (`#…`), a local file, or a URL. */
export function classifyRef(ref: string, from: string): { kind: 'internal' } | { kind: 'file'; file: string } | { kind: 'url' } {
  const target = ref.split('#')[0] ?? '';
  if (target === '') return { kind: 'internal' };
  if (/^file:/i.test(target)) {
    try {
      return { kind: 'file', file: fileURLToPath(target) };
    } catch {
      return { kind: 'url' };
    }
  }
  // A Windows drive letter (`C:\…`) is a path, not a scheme.
  if (URL_SCHEME.test(target) && !/^[a-z]:[\\/]/i.test(target)) return { kind: 'url' };
  return { kind: 'file', file: path.resolve(path.dirname(from), decode(target)) };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Files referenced from `file` (absolute paths, sorted), not including `file` itself: the local
 * files a spec pulls in, transitively. A textual scan, not a parse: it must also work while the
 * spec is broken (watch), and a ref it misses only means one regeneration fewer.
 */
export async function localRefs(file: string, limit = 200): Promise<string[]> {
  const start = path.resolve(file);
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0 && seen.size < limit) {
    const current = queue.shift() ?? start;
    const text = await readFile(current, 'utf8').catch(() => '');
    for (const match of text.matchAll(REF)) {
      const ref = classifyRef(match[1] ?? match[2] ?? match[3] ?? '', current);
      if (ref.kind !== 'file') continue;
      const target = ref.file;
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  seen.delete(start);
  return [...seen].sort();
}
