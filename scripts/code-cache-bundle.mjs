/**
 * V8 code cache of the bundle's CommonJS `generate` (see src/cli/load-commonjs.ts), run by
 * scripts/build.mjs in a child process: the file is wrapped as Node wraps CommonJS, one generation
 * of a small sample spec runs through it (no output cache, into a temporary folder) so the
 * functions such a run reaches are compiled, and V8's cache of the script is written beside it as
 * `<file>.v8cache`, after its SHA-256 (see src/cli/load-commonjs.ts). A cache that V8 later rejects (another Node) only means a normal compile.
 *
 *   node scripts/code-cache-bundle.mjs dist/bundle/generate-<hash>.cjs
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

const payload = {
  type: 'object',
  required: ['type', 'id', 'at'],
  properties: {
    type: { const: 'created' },
    id: { type: 'string', format: 'uuid' },
    at: { type: 'string', format: 'date-time' },
    n: { type: 'integer', minimum: 0 },
    tags: { type: 'array', items: { type: 'string' } },
  },
};
/** The shapes a small spec has: a channel with a parameter, two messages with payload and headers, send and receive, a server. */
const sample = {
  asyncapi: '3.0.0',
  info: { title: 'sample', version: '1.0.0' },
  servers: { local: { host: 'localhost:4222', protocol: 'nats' } },
  channels: {
    events: {
      address: 'events.{id}',
      parameters: { id: { description: 'the id' } },
      messages: { created: { $ref: '#/components/messages/created' }, deleted: { $ref: '#/components/messages/deleted' } },
    },
  },
  operations: {
    sendCreated: { action: 'send', channel: { $ref: '#/channels/events' }, messages: [{ $ref: '#/channels/events/messages/created' }] },
    onDeleted: { action: 'receive', channel: { $ref: '#/channels/events' }, messages: [{ $ref: '#/channels/events/messages/deleted' }] },
  },
  components: {
    schemas: { Thing: payload, Kind: { type: 'string', enum: ['a', 'b'] } },
    messages: {
      created: {
        name: 'created',
        contentType: 'application/json',
        payload: { $ref: '#/components/schemas/Thing' },
        headers: { type: 'object', properties: { kind: { $ref: '#/components/schemas/Kind' } } },
      },
      deleted: { name: 'deleted', payload: { type: 'object', required: ['type'], properties: { type: { const: 'deleted' }, id: { type: 'string' } } } },
    },
  },
};

const file = path.resolve(process.argv[2]);
const script = new Script(Module.wrap(await readFile(file, 'utf8')), { filename: file });
const module = { exports: {}, codegenImport: (specifier) => import(specifier) };
script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
const dir = mkdtempSync(path.join(tmpdir(), 'codegen-code-cache-'));
try {
  const spec = path.join(dir, 'sample.asyncapi.json');
  writeFileSync(spec, JSON.stringify(sample));
  const code = await module.exports.generateCommand({ spec, output: path.join(dir, 'out'), cache: false });
  if (code !== 0) throw new Error(`the sample generation for the code cache exited with ${code}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// Its SHA-256 first: V8 does not check the bytes of a cache, and a damaged one would crash the CLI.
const data = script.createCachedData();
writeFileSync(`${file}.v8cache`, Buffer.concat([createHash('sha256').update(data).digest(), data]));
