import { readFile, stat } from 'node:fs/promises';
import { CodegenError } from '../errors.js';

export interface SpecSource {
  /** The path as the user gave it (diagnostics print this). */
  readonly file: string;
  readonly text: string;
}

/** Reads a spec file, turning every way it can be unreadable into a user error. */
export async function loadSpec(file: string): Promise<SpecSource> {
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    throw new CodegenError({
      code: 'spec-not-found',
      message: `cannot read ${file}: no such file`,
      hint: 'check the path; it is resolved from the current directory',
      location: { file },
    });
  }
  if (info.isDirectory()) {
    throw new CodegenError({
      code: 'spec-is-directory',
      message: `${file} is a folder, not an AsyncAPI document`,
      hint: 'name the .yaml or .json file inside it',
      location: { file },
    });
  }
  const bytes = await readFile(file);
  if (bytes.includes(0)) {
    throw new CodegenError({
      code: 'spec-binary',
      message: `${file} is a binary file, not an AsyncAPI document`,
      hint: 'give the path of a JSON or YAML file',
      location: { file },
    });
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') {
    throw new CodegenError({
      code: 'spec-empty',
      message: `${file} is empty`,
      hint: 'an AsyncAPI document starts with `asyncapi: 3.0.0`',
      location: { file, line: 1, column: 1 },
    });
  }
  return { file, text };
}
