/**
 * A minimal Confluent-compatible schema registry over HTTP, as a test fixture: the three calls a
 * serializer makes (GET /schemas/ids/{id}, POST /subjects/{subject} to look a schema up, POST
 * /subjects/{subject}/versions to register it), answered as Confluent's registry answers them,
 * error codes included. Schemas compare by their parsed JSON, as the registry compares them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestRegistry {
  readonly url: string;
  /** Registers `schema` (JSON text) under `subject` with a chosen id, as another producer would have. */
  register(subject: string, schema: string, id?: number): number;
  /** Every request, as `METHOD path`. */
  readonly requests: string[];
  close(): Promise<void>;
}

const canonical = (schema: string): string => JSON.stringify(JSON.parse(schema));

export async function startSchemaRegistry(): Promise<TestRegistry> {
  const schemas = new Map<number, string>();
  const subjects = new Map<string, number[]>();
  const requests: string[] = [];
  let next = 1;
  const register = (subject: string, schema: string, id?: number): number => {
    const known = [...schemas].find(([, s]) => canonical(s) === canonical(schema))?.[0];
    const chosen = id ?? known ?? next;
    next = Math.max(next, chosen + 1);
    schemas.set(chosen, schema);
    const versions = subjects.get(subject) ?? [];
    if (!versions.includes(chosen)) versions.push(chosen);
    subjects.set(subject, versions);
    return chosen;
  };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://registry');
      requests.push(`${request.method} ${url.pathname}`);
      const answer = (status: number, value: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
        response.end(JSON.stringify(value));
      };
      const byId = /^\/schemas\/ids\/(\d+)$/.exec(url.pathname);
      if (request.method === 'GET' && byId) {
        const schema = schemas.get(Number(byId[1]));
        return schema === undefined ? answer(404, { error_code: 40403, message: 'Schema not found' }) : answer(200, { schema });
      }
      const subject = /^\/subjects\/([^/]+)(\/versions)?$/.exec(url.pathname);
      if (request.method === 'POST' && subject?.[1] !== undefined) {
        const name = decodeURIComponent(subject[1]);
        const schema = (JSON.parse(body) as { schema: string }).schema;
        if (subject[2] !== undefined) return answer(200, { id: register(name, schema) });
        const versions = subjects.get(name);
        if (versions === undefined) return answer(404, { error_code: 40401, message: `Subject '${name}' not found.` });
        const index = versions.findIndex((id) => canonical(schemas.get(id) ?? 'null') === canonical(schema));
        const id = versions[index];
        return id === undefined ? answer(404, { error_code: 40403, message: 'Schema not found' }) : answer(200, { subject: name, id, version: index + 1, schema: schemas.get(id) });
      }
      answer(404, { error_code: 404, message: 'HTTP 404 Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, register, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
