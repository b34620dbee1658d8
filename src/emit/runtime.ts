/**
 * Where a job's runtime goes. By default `runtime/` sits inside the output folder; with the
 * `runtime` option it goes to a folder shared by several specs, which the generated clients import
 * by a relative path. A shared runtime folder only ever gains and updates files: each spec adds
 * the adapters it needs, so generating one spec never takes away another's.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { compareWithDisk, type Drift } from './check.js';
import { unifiedDiff } from './unified.js';
import { FileSet } from './fileset.js';
import { previousFiles, writeFileSet, type WriteResult } from './write.js';
import { RUNTIME_FOLDER, runtimeImport } from './runtime-path.js';

export { runtimeImport } from './runtime-path.js';

const PREFIX = `${RUNTIME_FOLDER}/`;

export interface SplitFiles {
  /** What goes into the output folder. */
  readonly own: FileSet;
  /** The runtime files and their shared folder; undefined when the runtime stays in the output. */
  readonly shared?: { readonly folder: string; readonly files: FileSet } | undefined;
}

export function splitRuntime(files: FileSet, runtime: string | undefined): SplitFiles {
  if (runtime === undefined) return { own: files };
  const own = new FileSet();
  const shared = new FileSet();
  for (const [rel, contents] of files.entries()) {
    if (rel.startsWith(PREFIX)) shared.add(rel.slice(PREFIX.length), contents);
    else own.add(rel, contents);
  }
  return { own, shared: { folder: runtime, files: shared } };
}

/** The shared folder's files after this job: what an earlier run put there, updated and added to. */
async function merged(folder: string, files: FileSet): Promise<FileSet> {
  const all = new FileSet();
  for (const rel of await previousFiles(folder)) {
    if (files.get(rel) !== undefined) continue;
    const contents = await readFile(path.join(folder, rel), 'utf8').catch(() => undefined);
    if (contents !== undefined) all.add(rel, contents);
  }
  for (const [rel, contents] of files.entries()) all.add(rel, contents);
  return all;
}

/** Writes a job's files: its output folder, and the shared runtime folder when it has one. */
export async function writeJob(output: string, files: FileSet, runtime: string | undefined): Promise<WriteResult> {
  const { own, shared } = splitRuntime(files, runtime);
  if (!shared) return writeFileSet(output, files);
  const runtimeResult = await writeFileSet(shared.folder, await merged(shared.folder, shared.files));
  const result = await writeFileSet(output, own);
  const inRuntime = (list: readonly string[]) => list.filter((rel) => shared.files.get(rel) !== undefined).map((rel) => `${PREFIX}${rel}`);
  return {
    written: [...result.written, ...inRuntime(runtimeResult.written)],
    unchanged: [...result.unchanged, ...inRuntime(runtimeResult.unchanged)],
    removed: result.removed,
  };
}

/**
 * `check` for one job: its output folder as a whole, and in the shared runtime folder the files
 * this spec needs (other specs' adapters there are theirs). Runtime paths are given from the output
 * folder (`../runtime/client.ts`), so they print where they are.
 */
export async function compareJob(output: string, files: FileSet, runtime: string | undefined): Promise<Drift> {
  const { own, shared } = splitRuntime(files, runtime);
  const drift = await compareWithDisk(output, own, output);
  if (!shared) return drift;
  const from = runtimeImport(output, shared.folder);
  const stale: Drift['stale'][number][] = [];
  const missing: string[] = [];
  let fresh = 0;
  for (const [rel, contents] of shared.files.entries()) {
    const current = await readFile(path.join(shared.folder, rel), 'utf8').catch(() => undefined);
    const shown = path.posix.join(from, rel);
    if (current === undefined) missing.push(shown);
    else if (current !== contents) stale.push({ path: shown, diff: unifiedDiff(current, contents, { fromLabel: `${shown} (on disk)`, toLabel: `${shown} (generated)` }) });
    else fresh++;
  }
  return { stale: [...drift.stale, ...stale], missing: [...drift.missing, ...missing], extra: drift.extra, fresh: drift.fresh + fresh };
}
