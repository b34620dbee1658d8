/**
 * The generated validators are Standard Schemas: anything that takes a zod, valibot or arktype
 * schema takes them too, with the precompiled validator's speed.
 * Run: npx codegen && npx tsx examples/standard-schema.ts
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { userSessionBeginMessage } from '../generated/user-sessions/index.js';

/** What a library that accepts "any Standard Schema" does (tRPC inputs, form resolvers, ...). */
async function parse<S extends StandardSchemaV1>(schema: S, value: unknown): Promise<StandardSchemaV1.InferOutput<S>> {
  const result = await schema['~standard'].validate(value);
  if (result.issues) {
    const where = (issue: StandardSchemaV1.Issue) => (issue.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)).join('.');
    throw new Error(result.issues.map((issue) => `${where(issue) || '(root)'}: ${issue.message}`).join('; '));
  }
  return result.value;
}

const body = {
  id: 'b9e1a5d2-0c1d-4d0e-9a43-2f4b5f0e8c11',
  time: '2026-12-02T10:00:00Z',
  type: 'com.qlik.user-session.begin',
  source: 'com.qlik/edge-auth',
  specversion: '1.0',
  tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69',
  data: { subject: 'auth0\\foo' },
};
// The type of `event` is the generated model, inferred through the Standard Schema interface.
const event = await parse(userSessionBeginMessage.payload, body);
console.log(`valid: ${event.type} for ${event.data.subject}`);

try {
  await parse(userSessionBeginMessage.payload, { ...body, data: { subject: 42 } });
} catch (error) {
  console.log(`invalid: ${(error as Error).message}`);
}
