/**
 * Writes a FileSet into an output folder: every file is staged in a temporary folder beside the
 * target first, so a failure leaves the previous output as it was; then each file is renamed into
 * place. Files an earlier run generated and this one does not are removed; anything else in the
 * folder (the user's own files) is never touched.
 */
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CodegenError } from '../errors.js';
import { checkPath, type FileSet } from './fileset.js';

export const MANIFEST = '.codegen-manifest.json';

export interface WriteResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/** The files an earlier run generated, from its manifest; none when there is no readable manifest. */
export async function previousFiles(output: string): Promise<string[]> {
  const text = await readFile(path.join(output, MANIFEST), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as { files?: unknown };
    return Array.isArray(parsed.files) ? parsed.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

export function manifestText(files: FileSet): string {
  return `${JSON.stringify({ generator: 'codegen', files: files.paths() }, null, 2)}\n`;
}

export async function writeFileSet(output: string, files: FileSet): Promise<WriteResult> {
  const parent = path.dirname(path.resolve(output));
  await mkdir(parent, { recursive: true }).catch((error: unknown) => {
    throw new CodegenError({ code: 'output-not-writable', message: `cannot create ${parent}: ${String(error)}`, location: { file: output } });
  });
  const previous = await previousFiles(output);
  const entries = [...files.entries(), [MANIFEST, manifestText(files)] as [string, string]];
  const changed: Array<[string, string]> = [];
  const unchanged: string[] = [];
  for (const [rel, contents] of entries) {
    const current = await readFile(path.join(output, rel), 'utf8').catch(() => undefined);
    if (current === contents) unchanged.push(rel);
    else changed.push([rel, contents]);
  }
  const stage = await mkdtemp(path.join(parent, `.${path.basename(output)}.codegen-`));
  try {
    for (const [rel, contents] of changed) {
      const target = path.join(stage, checkPath(rel));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, contents);
    }
    for (const [rel] of changed) {
      const target = path.join(output, rel);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(path.join(stage, rel), target);
    }
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  const keep = new Set(entries.map(([rel]) => rel));
  const removed: string[] = [];
  for (const rel of previous) {
    if (keep.has(rel)) continue;
    try {
      checkPath(rel);
    } catch {
      continue; // a manifest edited by hand never makes us delete outside the folder
    }
    await rm(path.join(output, rel), { force: true });
    removed.push(rel);
  }
  return {
    written: changed.map(([rel]) => rel).filter((rel) => rel !== MANIFEST),
    unchanged: unchanged.filter((rel) => rel !== MANIFEST),
    removed,
  };
}
