/**
 * The real OpenTelemetry SDK for the tracing tests: a tracer provider whose spans land in memory,
 * and an AsyncLocalStorage context manager so the active span follows awaits, as in a service.
 */
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

export const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
otel.trace.setGlobalTracerProvider(provider);
otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

export { otel };

/** The finished spans of one trace. */
export function spansOf(traceId: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
}

/** Runs `fn` inside a new active span (the "request" a service is handling), and returns its context. */
export async function inSpan<T>(name: string, fn: () => Promise<T>): Promise<{ readonly result: T; readonly traceId: string; readonly spanId: string }> {
  const tracer = otel.trace.getTracer('test');
  return tracer.startActiveSpan(name, async (span) => {
    try {
      const result = await fn();
      return { result, traceId: span.spanContext().traceId, spanId: span.spanContext().spanId };
    } finally {
      span.end();
    }
  });
}
