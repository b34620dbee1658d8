import { readFile, stat } from 'node:fs/promises';
import { CodegenError } from '../errors.js';

export interface SpecSource {
  /** The path as the user gave it (diagnostics print this). */
  readonly file: string;
  /** What is parsed: the file's text, or the patched document (see spec/patch.ts). */
  readonly text: string;
  /** The file's own text when `text` is the patched document: positions in diagnostics come from it. */
  readonly written?: string | undefined;
  /** The patches applied to it, in order. */
  readonly patches?: readonly AppliedPatch[] | undefined;
}

/** One patch that changed the document: what the output's header and the CLI report. */
export interface AppliedPatch {
  /** `replace /components/schemas/User/properties/idpId/type` */
  readonly summary: string;
  /** Config file (or patch file) and the pointer of the operation in it. */
  readonly source: string | undefined;
  readonly pointer: string;
  /** How a user names it: `specs[0].patches[2]`. */
  readonly name: string;
}

/** Larger than any real spec; reading further would only exhaust memory. */
const MAX_BYTES = 64 * 2 ** 20;
const REPLACEMENT_CHARACTER = Buffer.from('\uFFFD', 'utf8');

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
  if (info.size > MAX_BYTES) {
    throw new CodegenError({
      code: 'spec-too-large',
      message: `${file} is ${(info.size / 2 ** 20).toFixed(0)} MiB; specs over ${MAX_BYTES / 2 ** 20} MiB are refused`,
      hint: 'check this is the AsyncAPI document you meant; split a very large one with $ref to files beside it',
      location: { file },
    });
  }
  const bytes = await readFile(file);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new CodegenError({
      code: 'spec-encoding',
      message: `${file} is UTF-16 text; AsyncAPI documents are read as UTF-8`,
      hint: 'save the file as UTF-8 (most editors offer this in "Save with encoding")',
      location: { file },
    });
  }
  if (bytes.includes(0)) {
    throw new CodegenError({
      code: 'spec-binary',
      message: `${file} is a binary file, not an AsyncAPI document`,
      hint: 'give the path of a JSON or YAML file',
      location: { file },
    });
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const bad = text.indexOf('\uFFFD');
  // U+FFFD stands for bytes that are not UTF-8, unless the file spells the character itself.
  if (bad >= 0 && !bytes.includes(REPLACEMENT_CHARACTER)) {
    const before = text.slice(0, bad);
    throw new CodegenError({
      code: 'spec-encoding',
      message: `${file} is not valid UTF-8`,
      hint: 'save the file as UTF-8; this is the first byte that is not (Latin-1 or Windows-1252 text, perhaps)',
      location: { file, line: before.split('\n').length, column: bad - before.lastIndexOf('\n') },
    });
  }
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
