/** Puts a planned scaffold on disk, after checking that the target folder may take it. */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkPath } from '../emit/fileset.js';
import { writeFileSet, type WriteResult } from '../emit/write.js';
import { CodegenError, shown } from '../errors.js';
import type { ScaffoldPlan } from './scaffold.js';

/** Refuses a folder with anything in it, unless forced; a missing folder is fine. */
export async function checkTarget(dir: string, force: boolean): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) {
    throw new CodegenError({ code: 'target-not-a-folder', message: `${shown(dir)} exists and is not a folder`, hint: 'choose a new folder name', location: { file: shown(dir) } });
  }
  const entries = (await readdir(dir)).sort();
  if (entries.length === 0 || force) return;
  const listed = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
  throw new CodegenError({
    code: 'target-not-empty',
    message: `${shown(dir)} is not empty (${listed}); nothing was written`,
    hint: 'choose a new or empty folder, or pass --force to write the scaffold into it (files of the same names are replaced; others are left alone)',
    location: { file: shown(dir) },
  });
}

export interface WrittenScaffold {
  /** Project files written, relative to the scaffold. */
  readonly files: readonly string[];
  readonly client: WriteResult;
}

export async function writeScaffold(dir: string, plan: ScaffoldPlan): Promise<WrittenScaffold> {
  const written: string[] = [];
  for (const [relative, contents] of [...plan.files].sort(([a], [b]) => a.localeCompare(b))) {
    const file = path.join(dir, ...checkPath(relative).split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, contents);
    written.push(relative);
  }
  const client = await writeFileSet(path.join(dir, ...plan.clientOutput.split('/')), plan.generated.files);
  return { files: written, client };
}
