/** bench/RESULTS.md from the results of each section (each kept with the date it was measured). */
import type { GenerateResults, InputResult } from './generate.js';
import type { NatsResult } from './nats.js';
import type { RuntimeRow } from './runtime.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly os: string;
  readonly load: string;
}

export interface Stamped<T> {
  readonly date: string;
  readonly machine: Machine;
  readonly data: T;
  readonly error?: string | undefined;
}

export interface Sections {
  readonly generate?: Stamped<GenerateResults> | undefined;
  readonly runtime?: Stamped<{ readonly rows: readonly RuntimeRow[] }> | undefined;
  readonly nats?: Stamped<NatsResult> | undefined;
}

const s = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(v < 10 ? 2 : 1));
const mb = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(0));
const x = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : `${v.toFixed(2)}×`);
const int = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');

function stamp(section: Stamped<unknown>): string {
  const m = section.machine;
  return `_Measured ${section.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.os}; load average at start ${m.load}._`;
}

type Summary = NonNullable<InputResult['rows'][number]['summary']>;
function find(input: InputResult, prefix: string): Summary | undefined {
  return input.rows.find((r) => r.contender.startsWith(prefix))?.summary;
}

function generateSection(g: Stamped<GenerateResults>): string[] {
  const out = ['## 1. Generation, whole process', '', stamp(g), ''];
  out.push(
    `Peer: ${g.data.peerNote}. Ours has ${g.data.hasCache ? 'a content-hash cache: cold rows pass `--no-cache` on every run, warm rows reuse the cache the warm-up primed' : 'no output cache (`--no-cache` not offered), so one row'}.`,
    '',
  );
  out.push('| Input | Contender | Median s | Min–max s | Peak MB | Minus floor s | Runs |', '|---|---|---:|---:|---:|---:|---:|');
  for (const input of g.data.inputs) {
    const floor = find(input, 'node -e 0');
    for (const row of input.rows) {
      const v = row.summary;
      const label = row.error ? `${row.contender} — failed: ${row.error.replace(/\|/g, '\\|')}` : row.contender;
      const minus = v && floor && !row.contender.startsWith('node') ? s(v.seconds - floor.seconds) : '';
      out.push(`| ${input.input} | ${label} | ${s(v?.seconds)} | ${v ? `${s(v.min)}–${s(v.max)}` : '–'} | ${mb(v?.peakMb)} | ${minus} | ${v?.runs ?? 0} |`);
    }
  }
  out.push('', '### Ratios (ours ÷ peer; below 1 is better)', '');
  out.push('| Input | Ours | Wall | Wall minus floor | Peak memory |', '|---|---|---:|---:|---:|');
  for (const input of g.data.inputs) {
    const floor = find(input, 'node -e 0');
    const peer = find(input, 'asyncapi');
    for (const row of input.rows.filter((r) => r.contender.startsWith('codegen'))) {
      const v = row.summary;
      const over = v && floor && peer ? (v.seconds - floor.seconds) / (peer.seconds - floor.seconds) : undefined;
      out.push(
        `| ${input.input} | ${row.contender.replace('codegen generate', '').replace(/^, /, '') || 'full'} | ${x(v && peer ? v.seconds / peer.seconds : undefined)} | ${x(over)} | ${x(v && peer ? v.peakMb / peer.peakMb : undefined)} |`,
      );
    }
  }
  const by = (n: string) => g.data.inputs.find((i) => i.input === `synthetic, ${n} channels`);
  const [c100, c1000] = [by('100'), by('1000')];
  if (c100 && c1000) {
    out.push('', '### Scaling, 1,000 channels ÷ 100 channels (10× the spec)', '', '| Contender | Wall | Wall minus floor |', '|---|---:|---:|');
    const f100 = find(c100, 'node -e 0');
    const f1000 = find(c1000, 'node -e 0');
    for (const row of c1000.rows.filter((r) => !r.contender.startsWith('node'))) {
      const a = c100.rows.find((r) => r.contender === row.contender)?.summary;
      const b = row.summary;
      const minus = a && b && f100 && f1000 ? (b.seconds - f1000.seconds) / (a.seconds - f100.seconds) : undefined;
      out.push(`| ${row.contender} | ${x(a && b ? b.seconds / a.seconds : undefined)} | ${x(minus)} |`);
    }
  }
  out.push(
    '',
    `\`codegen --help\`: median ${s(g.data.help.seconds)} s (${s(g.data.help.min)}–${s(g.data.help.max)}), peak ${mb(g.data.help.peakMb)} MB; \`node -e 0\` in the same rounds: ${s(g.data.helpFloor.seconds)} s.`,
  );
  return out;
}

function runtimeSection(r: Stamped<{ readonly rows: readonly RuntimeRow[] }>): string[] {
  const out = ['## 2. Runtime, per message of user-sessions (one process)', '', stamp(r), ''];
  out.push('| Message | Path | Generated ns/op | Bare ns/op | Generated ÷ bare | Bare work with our validator ns/op |', '|---|---|---:|---:|---:|---:|');
  for (const row of r.data.rows) {
    out.push(`| ${row.message} | ${row.path} | ${int(row.generated)} | ${int(row.bare)} | ${x(row.generated / row.bare)} | ${int(row.bareGeneratedValidator)} |`);
  }
  out.push(
    '',
    'Publish: generated = `await endpoint.publish(event)` into a no-op transport (validate, serialise to UTF-8 bytes, build the outgoing message); bare = an Ajv validator compiled in-process from the same schema (`new Ajv({ strict: false })` + ajv-formats) and `JSON.stringify` to UTF-8 bytes (`Buffer.from`, as a publish must hand the transport bytes). ' +
      'Receive: generated = the handler the transport captured at subscribe time, called with the bytes the client published (decode, parse, route, validate, call the typed handler); bare = `TextDecoder` + `JSON.parse` + the Ajv validator + a function call. ' +
      'The last column is the bare work with the generated (standalone Ajv) validator instead, the same UTF-8 encoding on publish: the gap to it is the client machinery, the gap from bare to it is the validator options.',
  );
  return out;
}

function natsSection(n: Stamped<NatsResult>): string[] {
  const d = n.data;
  const raw = d.rows[2]?.median ?? Number.NaN;
  const out = [
    '## 3. End-to-end over core NATS (127.0.0.1:4222)',
    '',
    stamp(n),
    '',
    `${int(d.messages)} userSessionBegin events per round, ${d.rounds} rounds after a warm-up, the contenders interleaved; publisher and subscriber on separate connections in one process; a round ends when the subscriber has the last message.`,
    '',
    '| Client | Median msg/s | ÷ raw loop | Rounds (msg/s) |',
    '|---|---:|---:|---|',
  ];
  for (const row of d.rows) out.push(`| ${row.name} | ${int(row.median)} | ${x(row.median / raw)} | ${row.rounds.map(int).join(', ')} |`);
  out.push(
    '',
    'The first two raw rows publish the bytes and headers the generated client put on the wire, and their subscriber only counts; the last raw row does the work the generated client does (the generated validator, JSON and UTF-8 on both sides), so the generated rows against it show the cost of the client machinery itself. ' +
      'The NATS client queues a flush in a microtask when its buffer goes from empty to non-empty, so code that awaits between publishes (the generated client awaited per message, or the raw client with an `await` in its loop) makes one socket write per message; publishes issued together share writes.',
  );
  return out;
}

/** The targets of the issue, each with the figure measured for it; a missing section is left out. */
function targetsSection(sections: Sections): string[] {
  const rows: string[] = [];
  const add = (target: string, measured: string, met: boolean | undefined) => rows.push(`| ${target} | ${measured} | ${met === undefined ? '–' : met ? 'met' : 'not met'} |`);
  const g = sections.generate && !sections.generate.error ? sections.generate.data : undefined;
  if (g) {
    const input = (label: string) => g.inputs.find((i) => i.input.startsWith(label));
    const ours = (i: InputResult | undefined) => (i ? (find(i, 'codegen generate, cold') ?? find(i, 'codegen generate')) : undefined);
    const us = input('user-sessions');
    const peerUs = us && find(us, 'asyncapi');
    const oursUs = ours(us);
    if (oursUs && peerUs)
      add(
        "user-sessions, full generation, ≤ 0.2× the peer's wall time (new or changed spec: cold)",
        `${x(oursUs.seconds / peerUs.seconds)} (${s(oursUs.seconds)} s vs ${s(peerUs.seconds)} s)`,
        oursUs.seconds / peerUs.seconds <= 0.2,
      );
    // The same target for a spec generated before (CI with a cached node_modules, watch loops): the output cache.
    const warm = (i: InputResult | undefined) => (i ? find(i, 'codegen generate, warm') : undefined);
    const warmUs = warm(us);
    if (warmUs && peerUs)
      add(
        "user-sessions, ≤ 0.2× the peer's wall time (spec generated before: warm cache)",
        `${x(warmUs.seconds / peerUs.seconds)} (${s(warmUs.seconds)} s vs ${s(peerUs.seconds)} s)`,
        warmUs.seconds / peerUs.seconds <= 0.2,
      );
    const big = input('synthetic, 1000');
    const small = input('synthetic, 100 ');
    const oursBig = ours(big);
    const oursSmall = ours(small);
    const peerBig = big && find(big, 'asyncapi');
    if (oursBig && peerBig)
      add(
        "1,000 channels, ≤ 0.1× the peer's wall time (cold)",
        `${x(oursBig.seconds / peerBig.seconds)} (${s(oursBig.seconds)} s vs ${s(peerBig.seconds)} s)`,
        oursBig.seconds / peerBig.seconds <= 0.1,
      );
    const warmBig = warm(big);
    if (warmBig && peerBig)
      add("1,000 channels, ≤ 0.1× the peer's wall time (warm cache)", `${x(warmBig.seconds / peerBig.seconds)} (${s(warmBig.seconds)} s)`, warmBig.seconds / peerBig.seconds <= 0.1);
    if (oursBig && oursSmall) add('1,000 vs 100 channels at most 10× (cold)', x(oursBig.seconds / oursSmall.seconds), oursBig.seconds / oursSmall.seconds <= 10);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    const perMessage = big?.validators && big.validators.exports > 0 ? big.validators.bytes / big.validators.exports : undefined;
    if (big?.validators && perMessage !== undefined)
      add('1,000 channels, validators.ts ≤ 3 KB per message', `${kb(perMessage)} (${(big.validators.bytes / 2 ** 20).toFixed(1)} MB for ${big.validators.exports} validators)`, perMessage <= 3 * 1024);
    if (us?.validators) add('user-sessions validators.ts ≤ 12 KB', kb(us.validators.bytes), us.validators.bytes <= 12 * 1024);
    if (oursBig && peerBig)
      add("1,000 channels, peak memory ≤ 0.5× the peer's", `${x(oursBig.peakMb / peerBig.peakMb)} (${mb(oursBig.peakMb)} MB vs ${mb(peerBig.peakMb)} MB)`, oursBig.peakMb / peerBig.peakMb <= 0.5);
    add('`codegen --help` under 0.2 s', `${s(g.help.seconds)} s`, g.help.seconds < 0.2);
  }
  const r = sections.runtime && !sections.runtime.error ? sections.runtime.data : undefined;
  for (const p of ['publish', 'receive'] as const) {
    const ratios = r?.rows.filter((row) => row.path === p).map((row) => row.generated / row.bare) ?? [];
    if (ratios.length > 0) add(`${p} path ≤ 1.2× bare`, `${ratios.map(x).join(', ')} (per message)`, Math.max(...ratios) <= 1.2);
  }
  const n = sections.nats && !sections.nats.error ? sections.nats.data : undefined;
  const raw = n?.rows[2]?.median;
  if (n && raw)
    add(
      'generated over NATS ≥ 0.9× the raw client',
      `${x((n.rows[0]?.median ?? NaN) / raw)} awaiting each publish, ${x((n.rows[1]?.median ?? NaN) / raw)} with ${n.window} in flight`,
      (n.rows[1]?.median ?? 0) / raw >= 0.9,
    );
  const same = n?.rows[4]?.median;
  if (n && same)
    add(
      'generated over NATS ≥ 0.9× the raw client doing the same work (validate, JSON, UTF-8)',
      `${x((n.rows[1]?.median ?? NaN) / same)} with ${n.window} in flight`,
      (n.rows[1]?.median ?? 0) / same >= 0.9,
    );
  return rows.length === 0 ? [] : ['## Targets (issue 13)', '', '| Target | Measured (medians) | |', '|---|---|---|', ...rows, ''];
}

export function render(sections: Sections, command: string): string {
  const out = [
    '# Benchmark results',
    '',
    '<!-- Written by bench/run.ts; rerun instead of editing. -->',
    '',
    `Rerun: \`${command}\` (see bench/README.md for the knobs).`,
    '',
    ...targetsSection(sections),
  ];
  const failed = (name: string, section: Stamped<unknown> | undefined) => (section?.error ? [`## ${name}`, '', stamp(section), '', `Not measured: ${section.error}`, ''] : undefined);
  if (sections.generate) out.push(...(failed('1. Generation', sections.generate) ?? [...generateSection(sections.generate), '']));
  if (sections.runtime) out.push(...(failed('2. Runtime', sections.runtime) ?? [...runtimeSection(sections.runtime), '']));
  if (sections.nats) out.push(...(failed('3. NATS', sections.nats) ?? [...natsSection(sections.nats), '']));
  out.push(
    '## Method',
    '',
    "- Generation: every contender runs once as a warm-up (file cache, and for ours the output cache when it has one), then N rounds; within a round each contender runs once, one after another, so a noisy neighbour on this shared machine slows all of them alike. Medians are reported; wall time is measured around the process, peak memory is GNU time's maximum resident set size (`%M`). Output goes to a fresh temporary folder per run except for the warm row, which reuses its folder as CI and watch loops do. A warm run whose time is near the cold one missed the cache: rebuilding the CLI changes the cache key, so a build between rounds shows up as a warm maximum.",
    '- The "minus floor" figures subtract `node -e 0` of the same input\'s rounds: what the tool costs beyond starting Node. Ratios matter more than seconds here.',
    '- Runtime: batches calibrated to ~150 ms, one warm-up/calibration batch per case, then rounds interleaving all cases; the median ns/op of the rounds.',
    '- NATS: one warm-up round per client is dropped; the median of the rest.',
    '',
  );
  return out.join('\n');
}
