/**
 * A disk that fails midway (ENOSPC on the nth file) must leave the previous output exactly as it
 * was. The fault is injected into `writeFile`; everything else is the real file system.
 */
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSet } from '../../src/emit/fileset.js';
import { MANIFEST, writeFileSet } from '../../src/emit/write.js';
import { OUT } from '../support/specs.js';

const disk = vi.hoisted(() => ({ writes: 0, failAt: -1 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const writeFile: typeof real.writeFile = async (...args) => {
    disk.writes += 1;
    if (disk.writes === disk.failAt) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return real.writeFile(...args);
  };
  return { ...real, writeFile, default: { ...real, writeFile } };
});

const DIR = path.join(OUT, 'write-faults');
const target = path.join(DIR, 'client');

function files(entries: Record<string, string>): FileSet {
  const set = new FileSet();
  for (const [p, c] of Object.entries(entries)) set.add(p, c);
  return set;
}

async function snapshot(folder: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(folder, file)] = await readFile(file, 'utf8');
  }
  return out;
}

beforeEach(async () => {
  disk.failAt = -1;
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
});

describe('a run that fails midway', () => {
  it.each([1, 2, 3, 4])('leaves the previous output intact when write %i of the new output fails', async (nth) => {
    await writeFileSet(target, files({ 'a.ts': 'old a', 'b.ts': 'old b', 'runtime/c.ts': 'old c' }));
    const before = await snapshot(target);
    disk.failAt = disk.writes + nth;
    await expect(writeFileSet(target, files({ 'a.ts': 'new a', 'b.ts': 'new b', 'runtime/c.ts': 'new c', 'd.ts': 'new d' }))).rejects.toThrow(
      /cannot write .*client: staging the new files failed \(ENOSPC: no space left on device, write\); the previous output is unchanged/,
    );
    expect(await snapshot(target)).toEqual(before);
    expect(Object.keys(before)).toContain(MANIFEST);
    expect(await readdir(DIR)).toEqual(['client']);
  });

  it('creates nothing when the first run fails', async () => {
    disk.failAt = disk.writes + 2;
    await expect(writeFileSet(target, files({ 'a.ts': 'a', 'b.ts': 'b' }))).rejects.toThrow(/previous output is unchanged/);
    expect(await readdir(DIR)).toEqual([]);
  });
});
