/**
 * The local files a spec pulls in through `$ref` (transitively), so `watch` regenerates a spec when
 * a schema file beside it changes. A textual scan, not a parse: it must also work while the spec is
 * broken, and a ref it misses only means one regeneration fewer.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const REF = /["']?\$ref["']?\s*:\s*(?:"([^"]*)"|'([^']*)'|([^\s,}\]]+))/g;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Files referenced from `file` (absolute paths, sorted), not including `file` itself. */
export async function localRefs(file: string, limit = 200): Promise<string[]> {
  const start = path.resolve(file);
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0 && seen.size < limit) {
    const current = queue.shift() ?? start;
    const text = await readFile(current, 'utf8').catch(() => '');
    for (const match of text.matchAll(REF)) {
      const value = (match[1] ?? match[2] ?? match[3] ?? '').split('#')[0] ?? '';
      if (value === '' || URL_SCHEME.test(value)) continue;
      const target = path.resolve(path.dirname(current), safeDecode(value));
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  seen.delete(start);
  return [...seen].sort();
}

function safeDecode(value: string): string {
  try {
    return decodeURI(value);
  } catch {
    return value;
  }
}
