/**
 * Trace context across NATS: the publisher's OpenTelemetry trace is continued in the handler (a
 * PRODUCER span per publish, a CONSUMER span per handled message), and without OpenTelemetry a
 * trace passed by hand arrives in the handler's context.
 * Run: npx codegen && NATS_URL=127.0.0.1:4222 npx tsx examples/tracing.ts
 */
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createUserSessionsClient } from '../generated/user-sessions/index.js';
import { connectNats } from '../generated/user-sessions/runtime/nats.js';
import { newTrace, traceOf, type TraceContext } from '../generated/user-sessions/runtime/tracing.js';

// Your service's usual OpenTelemetry setup; an in-memory exporter stands in for OTLP here.
const exporter = new InMemorySpanExporter();
otel.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const transport = await connectNats({ servers: process.env['NATS_URL'] ?? '127.0.0.1:4222' });
// Hand the API module to the client: the generated runtime never imports it itself.
const client = createUserSessionsClient(transport, { tracing: { api: otel } });

let resolve: (trace: { readonly received?: TraceContext | undefined; readonly active?: string | undefined }) => void = () => undefined;
let arrived = new Promise<{ readonly received?: TraceContext | undefined; readonly active?: string | undefined }>((r) => (resolve = r));
const subscription = await client.userSessionBegin.subscribe(async (_event, context) => {
  // The handler runs inside the CONSUMER span; traceOf gives what the message carried.
  resolve({ received: traceOf(context), active: otel.trace.getActiveSpan()?.spanContext().traceId });
});

const event = { source: 'com.qlik/edge-auth', tenantid: 'TiQ8GPVr8qI714Lp5ChAAFFaU24MJy69', data: { subject: 'auth0\\foo' } };
const started = await otel.trace.getTracer('example').startActiveSpan('login', async (span) => {
  await client.userSessionBegin.emit(event);
  span.end();
  return span.spanContext().traceId;
});
const traced = await arrived;
await subscription.close(); // waits for the handler, so its span has ended
const names = exporter.getFinishedSpans().map((s) => `${s.name} (${otel.SpanKind[s.kind]})`);
console.log(`trace ${started} continued in the handler: ${traced.active === started} (spans: ${names.join(', ')})`);

// Without OpenTelemetry: pass a trace on publish, read it back with traceOf in the handler.
arrived = new Promise((r) => (resolve = r));
const plain = createUserSessionsClient(transport);
const byHand = newTrace();
await plain.userSessionBegin.subscribe(async (_event, context) => resolve({ received: traceOf(context) }));
await plain.userSessionBegin.emit(event, { trace: byHand });
console.log(`trace ${byHand.traceId} passed by hand arrived: ${(await arrived).received?.traceId === byHand.traceId}`);
await transport.close();
