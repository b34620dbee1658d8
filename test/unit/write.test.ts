import { chmod, lstat, mkdir, readFile, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FileSet, checkPath } from '../../src/emit/fileset.js';
import { MANIFEST, writeFileSet } from '../../src/emit/write.js';
import { OUT } from '../support/specs.js';

const DIR = path.join(OUT, 'write');
const target = path.join(DIR, 'client');

function files(entries: Record<string, string>): FileSet {
  const set = new FileSet();
  for (const [p, c] of Object.entries(entries)) set.add(p, c);
  return set;
}

beforeEach(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(DIR, { recursive: true });
});

describe('writing generated files', () => {
  it('removes files an earlier run wrote and this one does not, and nothing else', async () => {
    await writeFileSet(target, files({ 'a.ts': 'a', 'old/b.ts': 'b' }));
    await writeFile(path.join(target, 'mine.ts'), 'user code');
    const result = await writeFileSet(target, files({ 'a.ts': 'a2' }));
    expect(result).toEqual({ written: ['a.ts'], unchanged: [], removed: ['old/b.ts'] });
    // `old/` held only a generated file, so it goes with it.
    expect((await readdir(target)).sort()).toEqual([MANIFEST, 'a.ts', 'mine.ts'].sort());
    expect(await readFile(path.join(target, 'mine.ts'), 'utf8')).toBe('user code');
  });

  it('does not rewrite files whose contents are the same', async () => {
    await writeFileSet(target, files({ 'a.ts': 'a' }));
    expect(await writeFileSet(target, files({ 'a.ts': 'a' }))).toEqual({ written: [], unchanged: ['a.ts'], removed: [] });
  });

  it('never deletes outside the folder, even when the manifest was edited to say so', async () => {
    await writeFile(path.join(DIR, 'precious.txt'), 'keep');
    await writeFileSet(target, files({ 'a.ts': 'a' }));
    await writeFile(path.join(target, MANIFEST), JSON.stringify({ files: ['../precious.txt', '/etc/hosts', 'a.ts'] }));
    await writeFileSet(target, files({ 'b.ts': 'b' }));
    expect(await readFile(path.join(DIR, 'precious.txt'), 'utf8')).toBe('keep');
  });

  it("keeps the user's files, folders and links through the swap, as the same files", async () => {
    await writeFileSet(target, files({ 'a.ts': 'a', 'runtime/x.ts': 'x' }));
    await mkdir(path.join(target, 'runtime', 'custom'), { recursive: true });
    await mkdir(path.join(target, 'empty'));
    await writeFile(path.join(target, 'runtime', 'custom', 'mine.ts'), 'user code');
    await symlink('a.ts', path.join(target, 'link.ts'));
    const before = (await stat(path.join(target, 'runtime', 'custom', 'mine.ts'))).ino;
    await writeFileSet(target, files({ 'a.ts': 'a2' }));
    expect(await readFile(path.join(target, 'runtime', 'custom', 'mine.ts'), 'utf8')).toBe('user code');
    expect((await stat(path.join(target, 'runtime', 'custom', 'mine.ts'))).ino).toBe(before);
    expect(await readlink(path.join(target, 'link.ts'))).toBe('a.ts');
    expect((await readdir(target)).sort()).toEqual([MANIFEST, 'a.ts', 'empty', 'link.ts', 'runtime'].sort());
    expect(await readdir(path.join(target, 'runtime'))).toEqual(['custom']);
  });

  it('puts back the previous output when a run was killed between moving it aside and moving the new one in', async () => {
    await writeFileSet(target, files({ 'a.ts': 'a' }));
    await rename(target, path.join(DIR, '.client.codegen-old-abc123'));
    const result = await writeFileSet(target, files({ 'a.ts': 'a' }));
    expect(result).toEqual({ written: [], unchanged: ['a.ts'], removed: [] });
    expect(await readdir(DIR)).toEqual(['client']);
  });

  it('removes a previous output left aside by a run killed after its swap', async () => {
    await writeFileSet(target, files({ 'a.ts': 'a' }));
    await mkdir(path.join(DIR, '.client.codegen-old-abc123'));
    await writeFile(path.join(DIR, '.client.codegen-old-abc123', 'a.ts'), 'stale');
    await writeFileSet(target, files({ 'a.ts': 'a2' }));
    expect(await readdir(DIR)).toEqual(['client']);
    expect(await readFile(path.join(target, 'a.ts'), 'utf8')).toBe('a2');
  });

  it('refuses an output folder that is the current folder or holds it', async () => {
    const cwd = process.cwd();
    process.chdir(DIR);
    try {
      await expect(writeFileSet('.', files({ 'a.ts': 'a' }))).rejects.toThrow(/contains it/);
      await expect(writeFileSet('..', files({ 'a.ts': 'a' }))).rejects.toThrow(/contains it/);
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses an output path that is a file', async () => {
    await writeFile(target, 'not a folder');
    await expect(writeFileSet(target, files({ 'a.ts': 'a' }))).rejects.toThrow(/is not a folder/);
  });

  it('leaves no staging folder behind', async () => {
    await writeFileSet(target, files({ 'a.ts': 'a' }));
    expect((await readdir(DIR)).filter((f) => f.includes('codegen-'))).toEqual([]);
  });

  it('keeps the mode of a regenerated output folder, and gives a new one the mode the umask allows', async () => {
    await writeFileSet(target, files({ 'a.ts': 'a' }));
    expect((await stat(target)).mode & 0o777).toBe(0o777 & ~process.umask());
    await chmod(target, 0o750);
    await writeFileSet(target, files({ 'a.ts': 'a2' }));
    expect((await stat(target)).mode & 0o777).toBe(0o750);
  });

  it('writes through a symlinked output folder and leaves the link a link', async () => {
    const real = path.join(DIR, 'real-client');
    await mkdir(real);
    await symlink(real, target);
    await writeFileSet(target, files({ 'a.ts': 'a' }));
    await writeFileSet(target, files({ 'a.ts': 'a2' }));
    expect((await lstat(target)).isSymbolicLink()).toBe(true);
    expect(await readFile(path.join(real, 'a.ts'), 'utf8')).toBe('a2');
  });

  it.each(['../x.ts', '/abs.ts', 'a/../../x.ts', 'a\\b.ts', '', 'C:/x.ts', 'a//b.ts'])('refuses the path %j', (p) => {
    expect(() => checkPath(p)).toThrow(/outside the output folder/);
  });
});
