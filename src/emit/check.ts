/**
 * Compares a FileSet with an output folder without writing: what `generate` would change. Stale
 * and missing files are those it would write; extra files are those an earlier run generated
 * (listed in its manifest) and this one no longer does. The user's own files are never extra.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { unifiedDiff } from './unified.js';
import { checkPath, type FileSet } from './fileset.js';
import { MANIFEST, manifestText, previousFiles } from './write.js';

export interface StaleFile {
  readonly path: string;
  readonly diff: string;
}

export interface Drift {
  readonly stale: readonly StaleFile[];
  readonly missing: readonly string[];
  readonly extra: readonly string[];
  /** Files that are as they should be; the manifest is not counted, as `generate` does not count it. */
  readonly fresh: number;
}

export function isFresh(drift: Drift): boolean {
  return drift.stale.length === 0 && drift.missing.length === 0 && drift.extra.length === 0;
}

/** `label` prefixes the paths in diff headers (the output folder as the user sees it). */
export async function compareWithDisk(output: string, files: FileSet, label = output): Promise<Drift> {
  const entries = [...files.entries(), [MANIFEST, manifestText(files)] as [string, string]];
  const stale: StaleFile[] = [];
  const missing: string[] = [];
  let fresh = 0;
  for (const [rel, contents] of entries) {
    const current = await readFile(path.join(output, rel), 'utf8').catch(() => undefined);
    if (current === undefined) missing.push(rel);
    else if (current !== contents) {
      const shown = path.posix.join(label.split(path.sep).join('/'), rel);
      stale.push({ path: rel, diff: unifiedDiff(current, contents, { fromLabel: `${shown} (on disk)`, toLabel: `${shown} (generated)` }) });
    } else if (rel !== MANIFEST) fresh++;
  }
  const keep = new Set(entries.map(([rel]) => rel));
  const extra: string[] = [];
  for (const rel of await previousFiles(output)) {
    if (keep.has(rel)) continue;
    try {
      checkPath(rel);
    } catch {
      continue; // a hand-edited manifest cannot name files outside the folder
    }
    if (
      await readFile(path.join(output, rel)).then(
        () => true,
        () => false,
      )
    )
      extra.push(rel);
  }
  return { stale, missing, extra: extra.sort(), fresh };
}
