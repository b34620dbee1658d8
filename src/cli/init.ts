/** `codegen init <dir> --spec <file>`: a new event service around a spec, ready for `npm install && npm test`. */
import path from 'node:path';
import { CodegenError, formatDiagnostic, shown } from '../errors.js';
import { planScaffold } from '../init/scaffold.js';
import { isScaffoldTransport, SCAFFOLD_TRANSPORTS } from '../init/transports.js';
import { checkTarget, writeScaffold } from '../init/write.js';
import { report } from './report.js';

export interface InitCommandOptions {
  readonly spec: string;
  /** `memory` (default), or a broker: nats, mqtt, amqp, kafka, webhook. */
  readonly transport?: string | undefined;
  /** Write into a folder that is not empty. */
  readonly force?: boolean | undefined;
}

export async function initCommand(dir: string, options: InitCommandOptions): Promise<number> {
  try {
    const transport = options.transport ?? 'memory';
    if (!isScaffoldTransport(transport)) {
      throw new CodegenError({ code: 'usage', message: `unknown transport "${transport}"`, hint: `choose one of: ${SCAFFOLD_TRANSPORTS.join(', ')}` });
    }
    await checkTarget(dir, options.force === true);
    const started = performance.now();
    const plan = await planScaffold({ dir, spec: options.spec, transport });
    for (const d of plan.generated.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (plan.externalRefs.length > 0) {
      process.stderr.write(
        `${shown(options.spec)}: warning the spec refers to other files (${plan.externalRefs.join(', ')}); copy them into ${shown(path.join(dir, 'specs'))} too, or regeneration there will fail\n`,
      );
    }
    const written = await writeScaffold(dir, plan);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const where = shown(dir);
    process.stdout.write(
      `${shown(options.spec)} → ${where}: ${written.files.length} project files and a client of ${plan.generated.files.size} files in ${plan.clientOutput} (${transport} transport) in ${seconds} s\n` +
        `next: cd ${where} && npm install && npm test\n`,
    );
    return 0;
  } catch (error) {
    return report(error);
  }
}
