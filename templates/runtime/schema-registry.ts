/**
 * A client of the Confluent Schema Registry REST API (also served by Redpanda, Karapace and
 * Apicurio's `ccompat` endpoint): a writer's schema by id, and the id of a schema under a subject,
 * registering it when asked. Answers are cached for the life of the client (an id never changes
 * its schema); failures are not, so the next message asks again.
 */
import { MessagingError, UnavailableError } from './errors.js';

export interface SchemaRegistryOptions {
  /** The registry's base URL, such as `http://127.0.0.1:8081` (the server binding's `schemaRegistryUrl`). */
  readonly url: string;
  /** HTTP basic authentication, as Confluent Cloud asks (API key and secret). */
  readonly auth?: { readonly username: string; readonly password: string } | undefined;
  /** Further request headers (a bearer token). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Register a schema the subject does not hold yet, as Confluent's serializers do by default. Default false: the schema must be registered already. */
  readonly autoRegister?: boolean | undefined;
  /** How long one request may take. Default 10 000 ms. */
  readonly timeoutMs?: number | undefined;
}

/** A registry that answered, but not with what was asked: an unknown id or subject, a refused schema. */
export class SchemaRegistryError extends MessagingError {
  constructor(
    message: string,
    /** The registry's `error_code` (40401 subject not found, 40403 schema not found, 409 incompatible, …). */
    readonly registryCode: number | undefined,
    readonly status: number,
  ) {
    super('rejected', message);
    this.name = 'SchemaRegistryError';
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export class SchemaRegistry {
  private readonly base: string;
  private readonly byId = new Map<number, Promise<string>>();
  private readonly ids = new Map<string, Promise<number>>();

  constructor(private readonly options: SchemaRegistryOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  /** The schema (its JSON text) a writer registered under `id`. */
  schemaById(id: number): Promise<string> {
    let found = this.byId.get(id);
    if (found === undefined) {
      found = this.call('GET', `/schemas/ids/${id}`).then(({ body }) => {
        const schema = (body as { schema?: unknown } | undefined)?.schema;
        if (typeof schema !== 'string') throw new SchemaRegistryError(`schema registry ${this.base}: the answer for schema id ${id} holds no schema`, undefined, 200);
        return schema;
      });
      this.remember(this.byId, id, found);
    }
    return found;
  }

  /** The id of `schema` (JSON text) under `subject`; registered first with `autoRegister` when the subject does not hold it. */
  idOf(subject: string, schema: string): Promise<number> {
    const key = `${subject}\u0000${schema}`;
    let found = this.ids.get(key);
    if (found === undefined) {
      found = this.lookUp(subject, schema);
      this.remember(this.ids, key, found);
    }
    return found;
  }

  private async lookUp(subject: string, schema: string): Promise<number> {
    const path = `/subjects/${encodeURIComponent(subject)}`;
    const found = await this.call('POST', path, { schema }, [404]);
    if (found.status !== 404) return idIn(found.body, subject, this.base);
    if (this.options.autoRegister !== true) {
      const what = registryCode(found.body) === 40401 ? `has no subject "${subject}"` : `holds no such schema under subject "${subject}"`;
      throw new SchemaRegistryError(`schema registry ${this.base} ${what}: register the schema there, or pass autoRegister: true in the schema registry options`, registryCode(found.body), 404);
    }
    const registered = await this.call('POST', `${path}/versions`, { schema });
    return idIn(registered.body, subject, this.base);
  }

  private remember<K, V>(cache: Map<K, Promise<V>>, key: K, value: Promise<V>): void {
    cache.set(key, value);
    value.catch(() => cache.delete(key));
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown, allowed: readonly number[] = []): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { accept: CONTENT_TYPE, ...this.options.headers };
    if (body !== undefined) headers['content-type'] = CONTENT_TYPE;
    const { auth } = this.options;
    if (auth) headers['authorization'] = `Basic ${btoa(`${auth.username}:${auth.password}`)}`;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new UnavailableError(`schema registry ${this.base} cannot be reached (${method} ${path}): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      parsed = undefined;
    }
    if (response.ok || allowed.includes(response.status)) return { status: response.status, body: parsed };
    const message = (parsed as { message?: unknown } | undefined)?.message;
    const said = typeof message === 'string' ? `: ${message}` : '';
    if (response.status >= 500) throw new UnavailableError(`schema registry ${this.base} failed (${method} ${path}, HTTP ${response.status})${said}`);
    throw new SchemaRegistryError(`schema registry ${this.base} refused ${method} ${path} (HTTP ${response.status})${said}`, registryCode(parsed), response.status);
  }
}

function registryCode(body: unknown): number | undefined {
  const code = (body as { error_code?: unknown } | undefined)?.error_code;
  return typeof code === 'number' ? code : undefined;
}

function idIn(body: unknown, subject: string, base: string): number {
  const id = (body as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'number' || !Number.isInteger(id)) throw new SchemaRegistryError(`schema registry ${base}: the answer for subject "${subject}" holds no schema id`, undefined, 200);
  return id;
}
