/**
 * V8 code cache for a precompiled document schema (read by src/spec/structure-rule.ts): the module
 * is wrapped as Node wraps CommonJS, run over a few small documents so the functions a typical
 * document reaches are compiled, and V8's cache of the script is written beside it. At run time V8
 * takes the bytecode from it instead of parsing and compiling 0.6 MB of code, or rejects it (another
 * Node or V8) and compiles as usual; nothing else depends on it.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

const schema = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' }, n: { type: 'integer', minimum: 0 }, tags: { type: 'array', items: { type: 'string' } } } };

/** Documents of the shapes generators meet: servers, channels, messages with payloads and headers, operations, components. */
function samples(version) {
  const info = { title: 't', version: '1', description: 'd' };
  if (version.startsWith('2.')) {
    const message = { name: 'm', contentType: 'application/json', payload: schema, headers: schema };
    return [
      { asyncapi: version, info },
      {
        asyncapi: version,
        info,
        servers: { s: { url: 'localhost:4222', protocol: 'nats' } },
        channels: { 'a.b': { publish: { operationId: 'p', message }, subscribe: { message: { oneOf: [message] } } } },
        components: { schemas: { S: schema }, messages: { M: message } },
      },
    ];
  }
  const message = { name: 'm', contentType: 'application/json', payload: schema, headers: schema };
  const channel = { address: 'a.{id}', parameters: { id: { description: 'i' } }, messages: { m: message } };
  return [
    { asyncapi: version, info },
    {
      asyncapi: version,
      info,
      servers: { s: { host: 'localhost:4222', protocol: 'nats' } },
      channels: { a: channel },
      operations: { o: { action: 'send', channel, messages: [message] }, r: { action: 'receive', channel, reply: { channel, messages: [message] } } },
      components: { schemas: { S: schema }, messages: { M: message }, channels: { C: channel } },
    },
  ];
}

export async function writeCodeCache(file, version) {
  const script = new Script(Module.wrap(await readFile(file, 'utf8')), { filename: file });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  for (const document of samples(version)) module.exports(document);
  // Its SHA-256 first: src/code-cache.ts hands V8 only a cache whose bytes are intact.
  const data = script.createCachedData();
  await writeFile(`${file}.v8cache`, Buffer.concat([createHash('sha256').update(data).digest(), data]));
}
