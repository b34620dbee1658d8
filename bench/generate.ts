/**
 * Whole-process generation timings: ours, the peer and the Node floor on the same inputs, paired
 * in one run and interleaved round by round so a noisy neighbour slows all contenders alike.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PEER_PACKAGE, PEER_VERSION, ensurePeer } from './peer.js';
import { envInt, run, summarise, type Command, type RunResult, type Sample } from './proc.js';
import { synthSpec } from './synth.js';

export interface InputResult {
  readonly input: string;
  readonly runs: number;
  readonly rows: ReadonlyArray<{ readonly contender: string; readonly summary: ReturnType<typeof summarise> | undefined; readonly error?: string | undefined }>;
  /** The cold run's validators.ts: its size and how many validators it exports (one per message here). */
  readonly validators?: { readonly bytes: number; readonly exports: number } | undefined;
}

export interface GenerateResults {
  readonly inputs: readonly InputResult[];
  readonly help: ReturnType<typeof summarise>;
  readonly helpFloor: ReturnType<typeof summarise>;
  readonly hasCache: boolean;
  readonly peerNote: string;
}

interface Spec {
  readonly label: string;
  readonly file: string;
  readonly large: boolean;
}

type Make = (spec: string, out: string) => Command;

export async function benchGenerate(root: string, log: (line: string) => void): Promise<GenerateResults> {
  const runs = envInt('BENCH_RUNS', 5);
  const largeRuns = Math.min(runs, envInt('BENCH_RUNS_LARGE', 3));
  const sizes = (process.env['BENCH_SIZES'] ?? '10,100,1000')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const codegen = path.join(root, 'bin', 'codegen.js');
  const node = process.execPath;
  const cmd = (args: readonly string[], env?: NodeJS.ProcessEnv): Command => ({ command: node, args, cwd: root, env });

  const genHelp = await run(cmd([codegen, 'generate', '--help']));
  const hasCache = genHelp.output.includes('--no-cache');
  const peer = await ensurePeer(log);
  const peerNote = peer.ok ? `${PEER_PACKAGE} ${PEER_VERSION}` : `not run: ${peer.reason}`;

  const contenders: Array<{ readonly name: string; readonly make: Make; readonly fresh: boolean }> = [{ name: 'node -e 0 (floor)', make: () => cmd(['-e', '0']), fresh: true }];
  if (hasCache) {
    // Cold: the cache is off on every run (warm-up included) and the output folder is new each time.
    const cold = { ...process.env, CODEGEN_CACHE: '0' }; // belt and braces: the flag and the variable both turn it off
    contenders.push({ name: 'codegen generate, cold (--no-cache)', make: (s, o) => cmd([codegen, 'generate', s, '-o', o, '--no-cache'], cold), fresh: true });
    // Warm: the warm-up primes the cache; the same output folder each run, as in CI and watch loops.
    const warm = { ...process.env };
    delete warm['CODEGEN_CACHE'];
    contenders.push({ name: 'codegen generate, warm (cache primed)', make: (s, o) => cmd([codegen, 'generate', s, '-o', o], warm), fresh: false });
  } else {
    contenders.push({ name: 'codegen generate', make: (s, o) => cmd([codegen, 'generate', s, '-o', o]), fresh: true });
  }
  if (peer.ok) {
    contenders.push({ name: 'asyncapi generate models typescript', make: (s, o) => cmd([peer.bin, 'generate', 'models', 'typescript', s, '-o', o], peer.env), fresh: true });
  }

  const specs: Spec[] = [
    { label: 'user-sessions (9 KB)', file: path.join(root, 'specs', 'user-sessions.asyncapi.json'), large: false },
    { label: 'iam-client-events (25 KB)', file: path.join(root, 'specs', 'iam-client-events.asyncapi.yaml'), large: false },
  ];
  for (const n of sizes) specs.push({ label: `synthetic, ${n} channels`, file: await synthSpec(n), large: n >= 1000 });

  const work = await mkdtemp(path.join(os.tmpdir(), 'bench-generate-'));
  const inputs: InputResult[] = [];
  try {
    for (const [s, spec] of specs.entries()) {
      const rounds = spec.large ? largeRuns : runs;
      log(`generate: ${spec.label}, warm-up + ${rounds} rounds × ${contenders.length} contenders`);
      const samples = contenders.map(() => [] as Sample[]);
      const errors: Array<string | undefined> = contenders.map(() => undefined);
      let validators: InputResult['validators'];
      for (let round = 0; round <= rounds; round++) {
        for (const [i, c] of contenders.entries()) {
          if (errors[i]) continue;
          const out = path.join(work, `${s}`, `${i}`, c.fresh ? `r${round}` : 'out');
          let result: RunResult = await run(c.make(spec.file, out));
          // A failure can be transient (another build rewriting dist/ under us): retry before giving up.
          for (let retry = 0; result.code !== 0 && retry < 2; retry++) {
            await new Promise((resolve) => setTimeout(resolve, 10_000));
            await rm(out, { recursive: true, force: true });
            result = await run(c.make(spec.file, out));
          }
          if (result.code === 0 && validators === undefined && c.name.startsWith('codegen generate, cold')) {
            const code = await readFile(path.join(out, 'validators.ts'), 'utf8').catch(() => undefined);
            if (code !== undefined) validators = { bytes: Buffer.byteLength(code), exports: (code.match(/^export const /gm) ?? []).length };
          }
          if (c.fresh) await rm(out, { recursive: true, force: true });
          if (result.code !== 0) {
            errors[i] = `exit ${result.code}: ${result.output.trim().split('\n').slice(-2).join(' / ').slice(0, 200)}`;
            log(`  ${c.name} failed: ${errors[i]}`);
            continue;
          }
          if (round > 0) samples[i]?.push(result); // round 0 is the warm-up
        }
      }
      inputs.push({
        input: spec.label,
        runs: rounds,
        validators,
        rows: contenders.map((c, i) => ({ contender: c.name, summary: samples[i]?.length ? summarise(samples[i] ?? []) : undefined, error: errors[i] })),
      });
      await rm(path.join(work, `${s}`), { recursive: true, force: true });
    }

    log(`help: warm-up + ${runs} rounds`);
    const help: Sample[] = [];
    const floor: Sample[] = [];
    for (let round = 0; round <= runs; round++) {
      const h = await run(cmd([codegen, '--help']));
      const f = await run(cmd(['-e', '0']));
      if (round > 0) help.push(h), floor.push(f);
    }
    return { inputs, help: summarise(help), helpFloor: summarise(floor), hasCache, peerNote };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
