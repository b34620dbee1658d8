/**
 * The generated clients of both specs, file for file, as reviewed in diffs (`vitest -u` rewrites
 * them). The round-trip tests import these very files, and the compile test type-checks them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSPORTS, generateFiles } from '../src/generate.js';
import { ROOT, SEED_SPECS, SNAPSHOTS } from './support/specs.js';

/** The goldens carry every adapter, so reviewers see them and the broker tests import them. */
const ALL = { transports: TRANSPORTS };

describe.each(SEED_SPECS)('%s', (name, spec) => {
  it('matches the reviewed output, file for file', async () => {
    const { files } = await generateFiles(path.join(ROOT, spec), ALL);
    for (const [file, contents] of files.entries()) {
      await expect(contents).toMatchFileSnapshot(path.join(SNAPSHOTS, name, file));
    }
  });

  it('gives the same bytes every time', async () => {
    const first = await generateFiles(path.join(ROOT, spec), ALL);
    const second = await generateFiles(path.join(ROOT, spec), ALL);
    expect(second.files.entries()).toEqual(first.files.entries());
  });

  it('does not depend on the working directory or on how the spec path is written', async () => {
    const absolute = await generateFiles(path.join(ROOT, spec), ALL);
    const cwd = process.cwd();
    process.chdir(path.join(ROOT, 'specs'));
    try {
      const relative = await generateFiles(path.basename(spec), ALL);
      expect(relative.files.entries()).toEqual(absolute.files.entries());
    } finally {
      process.chdir(cwd);
    }
  });
});
