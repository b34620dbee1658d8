/**
 * Writes a FileSet into an output folder, all or nothing. The complete new folder is built beside
 * the target (generated files, plus hard links to the user's own files already in it), then swapped
 * in with two renames. An error or a kill at any point before the swap leaves the previous output as
 * it was; a kill between the two renames leaves it beside the target, and the next run puts it back.
 * Files an earlier run generated and this one does not are gone afterwards; the user's are kept.
 */
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, link, lstat, mkdir, readFile, readdir, readlink, realpath, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
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

/** Names of the folders a run builds beside the target: `.<name>.codegen-new-…` and `.<name>.codegen-old-…`. */
function sideName(output: string, kind: 'new' | 'old'): string {
  return `.${path.basename(output)}.codegen-${kind}-`;
}

function failure(output: string, doing: string, error: unknown): CodegenError {
  const reason = error instanceof Error ? error.message : String(error);
  return new CodegenError({
    code: 'output-not-writable',
    message: `cannot write ${output}: ${doing} failed (${reason}); the previous output is unchanged`,
    hint: 'check that the folder and its parent are writable and the disk has space',
    location: { file: output },
  });
}

/**
 * A run killed between its two renames left the previous output beside the target: put it back.
 * Staging folders of killed runs are removed once they are old enough not to be another run's.
 */
async function recover(parent: string, output: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const present = await lstat(output).then(
    () => true,
    () => false,
  );
  const old = names.filter((n) => n.startsWith(sideName(output, 'old'))).sort();
  const restore = old.at(-1);
  if (!present && restore !== undefined) await rename(path.join(parent, restore), output);
  for (const name of names) {
    // With the output in place, a folder moved aside is one whose run was killed before removing it.
    if (present && name.startsWith(sideName(output, 'old'))) {
      await rm(path.join(parent, name), { recursive: true, force: true });
      continue;
    }
    if (!name.startsWith(sideName(output, 'new'))) continue;
    const info = await stat(path.join(parent, name)).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > 10 * 60_000) await rm(path.join(parent, name), { recursive: true, force: true });
  }
}

/** Links every entry of `from` that is not ours into `to`: the user's files survive the swap untouched. */
async function carryUserFiles(from: string, to: string, ours: ReadonlySet<string>, rel = ''): Promise<void> {
  const entries = await readdir(path.join(from, rel), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    const source = path.join(from, child);
    const target = path.join(to, child);
    if (entry.isDirectory()) {
      await carryUserFiles(from, to, ours, child);
      // An empty folder of the user's stays; one that held only generated files goes with them.
      const mine = await readdir(source).then(
        (list) => list.length === 0,
        () => false,
      );
      if (mine) await mkdir(target, { recursive: true });
    } else if (!ours.has(child)) {
      await mkdir(path.dirname(target), { recursive: true });
      if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
      else await link(source, target).catch(() => copyFile(source, target));
    }
  }
}

/** The folder to swap: a symlinked output folder is written where it points, so the link stays a link. */
async function outputFolder(output: string): Promise<string> {
  const resolved = path.resolve(output);
  const link = await lstat(resolved).catch(() => undefined);
  return link?.isSymbolicLink() ? realpath(resolved).catch(() => resolved) : resolved;
}

export async function writeFileSet(output: string, files: FileSet): Promise<WriteResult> {
  const target = await outputFolder(output);
  const parent = path.dirname(target);
  const fromTarget = path.relative(target, process.cwd());
  if (fromTarget === '' || (fromTarget.split(path.sep)[0] !== '..' && !path.isAbsolute(fromTarget))) {
    throw new CodegenError({
      code: 'output-contains-cwd',
      message: `the output folder ${output} is the current folder or contains it; generated output is swapped in as a whole folder`,
      hint: 'choose a folder of its own for the generated client, e.g. -o generated/client',
      location: { file: output },
    });
  }
  await mkdir(parent, { recursive: true }).catch((error: unknown) => {
    throw failure(output, `creating ${parent}`, error);
  });
  await recover(parent, target);
  const info = await stat(target).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new CodegenError({ code: 'output-not-a-folder', message: `${output} exists and is not a folder`, hint: 'choose another output path, or remove that file', location: { file: output } });
  }

  const previous = await previousFiles(target);
  const entries = [...files.entries(), [MANIFEST, manifestText(files)] as [string, string]];
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const [rel, contents] of entries) {
    const current = info ? await readFile(path.join(target, rel), 'utf8').catch(() => undefined) : undefined;
    (current === contents ? unchanged : written).push(rel);
  }
  const keep = new Set(entries.map(([rel]) => rel));
  // A manifest edited by hand never makes us claim (and so drop) a path outside the folder.
  const removed = previous.filter((rel) => !keep.has(rel) && isSafe(rel));
  const result = { written: written.filter((rel) => rel !== MANIFEST), unchanged: unchanged.filter((rel) => rel !== MANIFEST), removed };
  if (written.length === 0 && removed.length === 0) return result;

  // mkdir, not mkdtemp (whose folder is 0700): a new output gets the mode the umask gives, and a
  // regenerated one keeps its own.
  const stage = path.join(parent, sideName(target, 'new') + randomBytes(6).toString('hex'));
  await mkdir(stage)
    .then(() => (info ? chmod(stage, info.mode & 0o7777) : undefined))
    .catch((error: unknown) => {
      throw failure(output, 'creating a staging folder', error);
    });
  try {
    for (const [rel, contents] of entries) {
      const file = path.join(stage, checkPath(rel));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, contents);
    }
    if (info) await carryUserFiles(target, stage, new Set([...keep, ...removed]));
  } catch (error) {
    await rm(stage, { recursive: true, force: true });
    throw failure(output, 'staging the new files', error);
  }
  if (!info) {
    await rename(stage, target).catch(async (error: unknown) => {
      await rm(stage, { recursive: true, force: true });
      throw failure(output, 'moving the new folder into place', error);
    });
    return result;
  }
  const old = path.join(parent, sideName(target, 'old') + path.basename(stage).slice(sideName(target, 'new').length));
  await rename(target, old).catch(async (error: unknown) => {
    await rm(stage, { recursive: true, force: true });
    throw failure(output, 'moving the previous output aside', error);
  });
  await rename(stage, target).catch(async (error: unknown) => {
    await rename(old, target).catch(() => undefined);
    await rm(stage, { recursive: true, force: true });
    throw failure(output, 'moving the new folder into place', error);
  });
  await rm(old, { recursive: true, force: true });
  return result;
}

function isSafe(rel: string): boolean {
  try {
    checkPath(rel);
    return true;
  } catch {
    return false;
  }
}
