/** View models of the scaffold's templates: every line of code worked out here, laid out by templates/scaffold/. */
import type { IrOperation, IrSpec } from '../ir/types.js';
import { literal, propertyKey } from '../render/strings.js';
import type { Sampler } from '../samples/index.js';
import { isJsonContentType, parameterValues, type RoundTrip } from './cases.js';
import { member, tsLiteral } from './literal.js';
import { endpoints, TRANSPORT_SETUPS, type ScaffoldTransport } from './transports.js';

export interface ScaffoldNames {
  /** npm package name, from the folder. */
  readonly service: string;
  /** Folder of the client under src/generated/. */
  readonly clientDir: string;
  /** File name of the spec under specs/. */
  readonly specFile: string;
}

const INDENT = '    ';

function publishArguments(payload: unknown, headers: Record<string, unknown> | undefined, parameters: Readonly<Record<string, string>>, indent: string): string[] {
  const options: string[] = [];
  if (Object.keys(parameters).length > 0) options.push(`parameters: ${tsLiteral(parameters, indent)}`);
  if (headers !== undefined) options.push(`headers: ${tsLiteral(headers, indent)}`);
  return [tsLiteral(payload, indent), ...(options.length > 0 ? [`{ ${options.join(', ')} }`] : [])];
}

/** The lines inside one `it(...)` of the scaffold's test. */
function caseLines(trip: RoundTrip, keys: ReadonlyMap<string, string>): string[] {
  const { channel, message } = trip;
  const endpoint = member('client.channels', channel.key);
  const lines: string[] = [];
  lines.push(message.payload ? `const payload = ${tsLiteral(trip.payload, INDENT)} satisfies models.${message.payload};` : `const payload: unknown = ${tsLiteral(trip.payload, INDENT)};`);
  if (trip.headers !== undefined) lines.push(`const headers = ${tsLiteral(trip.headers, INDENT)} satisfies models.${message.headers ?? 'never'};`);
  const hasParameters = channel.parameters.length > 0;
  if (hasParameters) lines.push(`const parameters = ${tsLiteral(trip.parameters, INDENT)} as const;`);
  // Handler maps and publish take the messages' camelCase keys; ctx.messageId is the spec's id.
  const handlers = channel.messages.map((id) => `${propertyKey(keys.get(id) ?? id)}: arrival.handler`).join(', ');
  const options = [...(hasParameters ? ['parameters'] : []), ...(trip.headers !== undefined ? ['headers'] : [])];
  lines.push(
    'const arrival = firstArrival();',
    `await ${endpoint}.subscribe({ ${handlers} }, { onError: arrival.fail });`,
    `await ${endpoint}.publish(${[literal(message.key), 'payload', ...(options.length > 0 ? [`{ ${options.join(', ')} }`] : [])].join(', ')});`,
    'const got = await arrival.received;',
  );
  if (trip.routedTo !== message.id) {
    lines.push(`// Nothing in the payload tells the channel's messages apart, and "${trip.routedTo}" comes first and accepts it.`);
  }
  lines.push(`assert.equal(got.messageId, ${literal(trip.routedTo)});`, 'assert.deepEqual(got.payload, payload);');
  if (trip.headers !== undefined) lines.push('assert.deepEqual(got.headers, headers);');
  if (hasParameters) lines.push('assert.deepEqual({ ...got.parameters }, parameters);');
  return lines;
}

export interface TestView {
  readonly specFile: string;
  readonly factory: string;
  readonly clientType: string;
  readonly clientImport: string;
  readonly memoryImport: string;
  readonly usesModels: boolean;
  readonly groups: ReadonlyArray<{ readonly title: string; readonly cases: ReadonlyArray<{ readonly name: string; readonly body: string; readonly skip: boolean; readonly todo: boolean }> }>;
  readonly empty: boolean;
}

export function testView(ir: IrSpec, trips: readonly RoundTrip[], names: ScaffoldNames): TestView {
  const keys = new Map(ir.messages.map((m) => [m.id, m.key] as const));
  const groups = ir.channels
    .map((channel) => ({
      title: literal(channel.addressIsId ? channel.id : channel.address),
      cases: trips
        .filter((t) => t.channel === channel)
        .map((t) => {
          if (t.todo !== undefined) return { name: literal(`${t.message.id}: ${t.todo}`), todo: true, skip: false, body: '' };
          if (t.skip !== undefined) return { name: literal(`${t.message.id}: ${t.skip}`), todo: false, skip: true, body: '' };
          return {
            name: literal(t.message.id),
            todo: false,
            skip: false,
            body: caseLines(t, keys)
              .map((l) => `${INDENT}${l}`)
              .join('\n'),
          };
        }),
    }))
    .filter((g) => g.cases.length > 0);
  const runnable = trips.filter((t) => t.todo === undefined && t.skip === undefined);
  return {
    specFile: names.specFile,
    factory: ir.factoryName,
    clientType: ir.clientType,
    clientImport: `../src/generated/${names.clientDir}/index.js`,
    memoryImport: `../src/generated/${names.clientDir}/runtime/memory.js`,
    usesModels: runnable.some((t) => t.message.payload !== undefined || t.headers !== undefined),
    groups,
    empty: groups.length === 0,
  };
}

interface Demo {
  readonly id: string;
  readonly subscribeOpen: string;
  readonly subscribeClose: string;
  readonly publish: string;
}

/** The demo of index.ts: an operation with one JSON message (a `send` one first), else any channel's message. */
function demo(ir: IrSpec, sampler: Sampler, subscriber: string, publisher: string): Demo | undefined {
  const byId = new Map(ir.messages.map((m) => [m.id, m] as const));
  const channels = new Map(ir.channels.map((c) => [c.id, c] as const));
  const usable = (id: string | undefined): boolean => {
    const m = id === undefined ? undefined : byId.get(id);
    if (!m || !isJsonContentType(m.contentType)) return false;
    try {
      sampler.payload(m);
      sampler.headers(m);
      return true;
    } catch {
      return false;
    }
  };
  const sample = (id: string, channelId: string, indent: string): string[] => {
    const m = byId.get(id);
    const channel = channels.get(channelId);
    if (!m || !channel) return [];
    return publishArguments(sampler.payload(m), sampler.headers(m), parameterValues(channel), indent);
  };
  const ops = [...ir.operations].sort((a, b) => Number(b.action === 'send') - Number(a.action === 'send'));
  const op = ops.find((o: IrOperation) => o.messages.length === 1 && usable(o.messages[0]) && (channels.get(o.channel)?.messages.length ?? 0) > 0);
  const handler = 'async (payload, context) => {';
  if (op) {
    const id = op.messages[0] ?? '';
    return {
      id,
      subscribeOpen: `${member(subscriber, op.key)}.subscribe(${handler}`,
      subscribeClose: '});',
      publish: `${member(publisher, op.key)}.publish(${sample(id, op.channel, '').join(', ')});`,
    };
  }
  for (const channel of ir.channels) {
    const id = channel.messages.find((m) => usable(m));
    if (id === undefined) continue;
    return {
      id,
      subscribeOpen: `${member(`${subscriber}.channels`, channel.key)}.subscribe({ ${propertyKey(byId.get(id)?.key ?? id)}: ${handler}`,
      subscribeClose: '} });',
      publish: `${member(`${publisher}.channels`, channel.key)}.publish(${[literal(byId.get(id)?.key ?? id), ...sample(id, channel.id, '')].join(', ')});`,
    };
  }
  return undefined;
}

/** `avroRegistry`: the registry URL when the client carries Confluent Avro (the generated avro.ts). */
export function indexView(ir: IrSpec, sampler: Sampler, transport: ScaffoldTransport, names: ScaffoldNames, avroRegistry?: string): object {
  const setup = TRANSPORT_SETUPS[transport];
  const avro = avroRegistry === undefined ? undefined : setup.connectAvro?.(names.service, names.clientDir, avroRegistry);
  const ends = endpoints(transport);
  const factory = ir.factoryName;
  const single = ends.publisher === ends.subscriber;
  const subscriber = single ? 'client' : 'subscriber';
  const publisher = single ? 'client' : 'publisher';
  const clients = single ? [`const client = ${factory}(${ends.publisher});`] : [`const publisher = ${factory}(${ends.publisher});`, `const subscriber = ${factory}(${ends.subscriber});`];
  const shown = demo(ir, sampler, subscriber, publisher);
  const close = [...(shown ? ['await subscription.close();'] : []), ...ends.close.map((t) => `await ${t}.close();`)];
  return {
    title: ir.title.replace(/\*\//g, '*\\/').replace(/[\r\n]+/g, ' '),
    transportTitle: setup.title,
    factory,
    clientImport: `./generated/${names.clientDir}/index.js`,
    adapterImport: `./generated/${names.clientDir}/runtime/${setup.module}.js`,
    adapterImports: setup.imports,
    extraImports: avro?.imports ?? [],
    connect: avro?.code ?? setup.connect(names.service),
    clients: clients.join('\n'),
    inMemory: transport === 'memory',
    demo: shown,
    close: close.join('\n'),
    closeIndented: close.map((l) => `    ${l}`).join('\n'),
  };
}

/** The URL path a webhook receiver serves an address on: literal segments percent-encoded, `{parameters}` kept to fill in. */
function webhookPath(address: string): string {
  const path = address
    .split(/(\{[^}]*\})/)
    .map((part, i) => (i % 2 === 1 ? part : part.split('/').map(encodeURIComponent).join('/')))
    .join('');
  return `/${path.replace(/^\/+/, '')}`;
}

/** What the README's webhook section lists: the path per channel and the event types that arrive there. */
function webhookView(ir: IrSpec): { readonly routes: readonly string[]; readonly qlik: boolean; readonly example: string } {
  const byId = new Map(ir.messages.map((m) => [m.id, m] as const));
  const types = (ids: readonly string[]): string[] => ids.map((id) => byId.get(id)).flatMap((m) => (m ? [m.cloudEvent?.type ?? m.name ?? m.id] : []));
  const routes = ir.channels.map(
    (c) =>
      `| \`${webhookPath(c.address)}\` | ${types(c.messages)
        .map((t) => `\`${t}\``)
        .join(', ')} |`,
  );
  const qlik = ir.messages.some((m) => m.cloudEvent?.type?.startsWith('com.qlik.') === true);
  return { routes, qlik, example: ir.channels[0] ? webhookPath(ir.channels[0].address) : '/' };
}

export function readmeView(ir: IrSpec, transport: ScaffoldTransport, names: ScaffoldNames, trips: readonly RoundTrip[]): object {
  const setup = TRANSPORT_SETUPS[transport];
  const runnable = trips.filter((t) => t.skip === undefined && t.todo === undefined).length;
  return {
    service: names.service,
    title: ir.title,
    specFile: names.specFile,
    clientDir: names.clientDir,
    factory: ir.factoryName,
    transport,
    transportTitle: setup.title,
    inMemory: transport === 'memory',
    env: setup.env.map((e) => `| \`${e.name}\` | ${e.default === '<package name>' ? `\`${names.service}\`` : e.default.startsWith('(') ? e.default : `\`${e.default}\``} | ${e.meaning} |`),
    roundTrips: `${runnable} round trip${runnable === 1 ? '' : 's'}, one per message and channel`,
    webhook: transport === 'webhook' ? webhookView(ir) : undefined,
    notRun: trips.length - runnable,
  };
}
