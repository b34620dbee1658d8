import { diffSpecs } from '../diff/index.js';
import { shown } from '../errors.js';
import { formatDiff, type DiffFormat } from '../diff/format.js';
import { loadSpec } from '../spec/load.js';
import { parseSpec } from '../spec/parse.js';
import { report } from './report.js';

export interface DiffCommandOptions {
  readonly format: DiffFormat;
  readonly allowExternalRefs?: boolean | undefined;
}

/** Exit 1 when anything breaks (a CI gate) or a spec is invalid; 0 when nothing breaks. */
export async function diffCommand(oldSpec: string, newSpec: string, options: DiffCommandOptions): Promise<number> {
  const files = [shown(oldSpec), shown(newSpec)] as const;
  const read = async (file: string) => (await parseSpec(await loadSpec(file), { allowExternalRefs: options.allowExternalRefs })).document;
  // Both are read even when one fails, so a user with two broken files sees both at once.
  const [a, b] = await Promise.allSettled([read(files[0]), read(files[1])]);
  if (a.status === 'rejected' || b.status === 'rejected') {
    // The same broken file given twice is reported once.
    const failed = files[0] === files[1] ? [a] : [a, b];
    return Math.max(...failed.map((r) => (r.status === 'rejected' ? report(r.reason) : 0)));
  }
  const changes = diffSpecs(a.value, b.value);
  process.stdout.write(formatDiff({ before: files[0], after: files[1], changes }, options.format));
  return changes.some((c) => c.kind === 'breaking') ? 1 : 0;
}
