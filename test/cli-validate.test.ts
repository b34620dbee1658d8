/** `codegen validate`: text, JSON, --strict and GitHub annotations, through the real binary. */
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type Run } from './support/cli.js';
import { OUT, ROOT } from './support/specs.js';

const DIR = path.join(OUT, 'cli-validate');

async function codegen(args: readonly string[], env: Record<string, string> = {}, cwd = DIR): Promise<Run> {
  return runCli(args, { cwd, env });
}

const ERROR = [
  'specs/bad-action.yaml:10:13: error "action" property must be equal to one of the allowed values: "send", "receive". Did you mean "receive"? [asyncapi-document-resolved]',
  '  at /operations/op/action',
  '  hint: compare this part with the AsyncAPI 3.0 specification: https://www.asyncapi.com/docs/reference/specification/v3.0.0',
].join('\n');
const WARNING = [
  'specs/xml-content.yaml: warning message "note" has content type application/xml; the generated client sends and expects JSON for it [unsupported-content-type]',
  '  hint: set contentType: application/json on the message, or encode the payload yourself and send it through the transport',
].join('\n');

beforeAll(async () => {
  await rm(DIR, { recursive: true, force: true });
  await mkdir(path.join(DIR, 'specs'), { recursive: true });
  for (const [from, name] of [
    ['config/tiny.yaml', 'tiny.yaml'],
    ['broken/bad-action.yaml', 'bad-action.yaml'],
    ['broken/xml-content.yaml', 'xml-content.yaml'],
  ]) {
    await cp(path.join(ROOT, 'test', 'fixtures', from ?? ''), path.join(DIR, 'specs', name ?? ''));
  }
});

describe('codegen validate', () => {
  it.each([
    ['a valid spec', ['specs/tiny.yaml'], 0, 'specs/tiny.yaml: valid\n'],
    ['a spec with an error', ['specs/bad-action.yaml'], 1, `${ERROR}\nspecs/bad-action.yaml: invalid (1 error)\n`],
    ['a spec with a warning', ['specs/xml-content.yaml'], 0, `${WARNING}\nspecs/xml-content.yaml: valid (1 warning)\n`],
    ['a warning under --strict', ['specs/xml-content.yaml', '--strict'], 1, `${WARNING}\nspecs/xml-content.yaml: invalid (1 warning)\nwarnings fail the check because of --strict\n`],
  ])('prints %s compiler-style (%j), exit %i', async (_name, args, code, stdout) => {
    const run = await codegen(['validate', ...args]);
    expect(run.stdout).toBe(stdout);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
  });

  it('prints stable JSON for tools, every key always present', async () => {
    const run = await codegen(['validate', 'specs/bad-action.yaml', '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      errors: 1,
      warnings: 0,
      diagnostics: [
        {
          file: 'specs/bad-action.yaml',
          line: 10,
          column: 13,
          severity: 'error',
          code: 'asyncapi-document-resolved',
          message: '"action" property must be equal to one of the allowed values: "send", "receive". Did you mean "receive"?',
          pointer: '/operations/op/action',
          hint: 'compare this part with the AsyncAPI 3.0 specification: https://www.asyncapi.com/docs/reference/specification/v3.0.0',
        },
      ],
    });
  });

  it.each([
    [[], 0, true],
    [['--strict'], 1, false],
  ])('in JSON, warnings count as failing only with --strict (%j)', async (flags, code, ok) => {
    const run = await codegen(['validate', 'specs/xml-content.yaml', '--format', 'json', ...flags], { GITHUB_ACTIONS: 'true' });
    expect(run.code).toBe(code);
    const json = JSON.parse(run.stdout) as { ok: boolean; warnings: number; diagnostics: Array<Record<string, unknown>> };
    expect(json).toMatchObject({ ok, errors: 0, warnings: 1 });
    expect(json.diagnostics[0]).toEqual({
      file: 'specs/xml-content.yaml',
      line: null,
      column: null,
      severity: 'warning',
      code: 'unsupported-content-type',
      message: expect.stringContaining('application/xml'),
      pointer: null,
      hint: expect.stringContaining('application/json'),
    });
  });

  it('also writes workflow annotations under GITHUB_ACTIONS=true', async () => {
    const error = await codegen(['validate', 'specs/bad-action.yaml'], { GITHUB_ACTIONS: 'true' });
    expect(error.stdout).toContain(
      '::error file=specs/bad-action.yaml,line=10,col=13,title=asyncapi-document-resolved::"action" property must be equal to one of the allowed values: "send", "receive". Did you mean "receive"?%0Aat /operations/op/action%0Ahint: compare this part with the AsyncAPI 3.0 specification: https://www.asyncapi.com/docs/reference/specification/v3.0.0\n',
    );
    const warning = await codegen(['validate', 'specs/xml-content.yaml'], { GITHUB_ACTIONS: 'true' });
    expect(warning.stdout).toMatch(/^::warning file=specs\/xml-content\.yaml,title=unsupported-content-type::message "note" has content type application\/xml; [^\n]*%0Ahint: set contentType/m);
    expect(warning.code).toBe(0);
  });

  it('validates every spec of the config when given none, and writes nothing', async () => {
    await writeFile(
      path.join(DIR, 'codegen.config.json'),
      JSON.stringify({
        specs: [
          { spec: 'specs/tiny.yaml', output: 'gen/tiny' },
          { spec: 'specs/xml-content.yaml', output: 'gen/xml' },
        ],
      }),
    );
    const run = await codegen(['validate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`specs/tiny.yaml: valid\n${WARNING}\nspecs/xml-content.yaml: valid (1 warning)\n`);
    expect(await readdir(DIR)).not.toContain('gen');
  });
});
