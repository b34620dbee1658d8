import path from 'node:path';
import { CONFIG_FILE, findConfig, loadConfig, type SpecConfig } from '../config/load.js';
import { CodegenError, formatDiagnostic } from '../errors.js';
import { fileName } from '../ir/naming.js';
import { generate } from '../generate.js';
import { report } from './report.js';

export interface GenerateCommandOptions {
  readonly spec: string | undefined;
  readonly output: string | undefined;
}

/** Paths print relative to where the user stands, never as absolute machine paths. */
function shown(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
}

export async function generateCommand(options: GenerateCommandOptions): Promise<number> {
  let jobs: SpecConfig[];
  if (options.spec !== undefined) {
    const base = path.basename(options.spec).replace(/\.(asyncapi\.)?(ya?ml|json)$/i, '');
    jobs = [{ spec: options.spec, output: options.output ?? path.join('generated', fileName(base)) }];
  } else {
    if (options.output !== undefined) throw new CodegenError({ code: 'usage', message: '--output needs a spec', hint: 'codegen generate <spec> -o <dir>' });
    const file = await findConfig(process.cwd());
    if (!file) {
      throw new CodegenError({
        code: 'no-config',
        message: `no spec given and no ${CONFIG_FILE} found in this folder or above`,
        hint: `run codegen generate <spec> -o <dir>, or create ${CONFIG_FILE}: { "specs": [{ "spec": "specs/orders.yaml", "output": "generated/orders" }] }`,
      });
    }
    jobs = [...(await loadConfig(file)).specs].map((s) => ({ spec: shown(s.spec), output: shown(s.output) }));
  }
  let failed = 0;
  for (const job of jobs) {
    const started = performance.now();
    try {
      const result = await generate(job);
      for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      const parts = [`${result.written.length} written`, `${result.unchanged.length} unchanged`];
      if (result.removed.length > 0) parts.push(`${result.removed.length} removed`);
      process.stdout.write(`${job.spec} → ${job.output}: ${result.files.size} files (${parts.join(', ')}) in ${seconds} s\n`);
    } catch (error) {
      const code = report(error);
      if (code !== 1) return code;
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}
