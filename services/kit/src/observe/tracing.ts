import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { traceStatements } from './db-spans';

/** Where spans go once tracing is on: one processor for the process, whichever service made them. */
let processor: SpanProcessor | undefined;
const tracers = new Map<string, Tracer>();

/** Whether this process records spans (OTEL_EXPORTER_OTLP_ENDPOINT set, or a test's processor). */
export function tracingEnabled(): boolean {
  return processor !== undefined;
}

/** The service name in traces: thads-gateway, thads-cases, … */
export function tracedServiceName(service: string): string {
  return `thads-${service}`;
}

/**
 * Turns tracing on for a service of this process when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, exporting by OTLP/HTTP (JSON) in batches; or
 * with `testProcessor`, to it. Without either nothing is set up and every span helper of
 * observe/ returns at its first test: tracing off costs nothing.
 *
 * The first service of a process registers the global provider (W3C trace context, async
 * context kept across awaits), which Apollo Gateway's own spans use too; a further service in
 * the same process (the in-process test hub) gets a provider of its own with its name.
 */
export function initTracing(service: string, env: NodeJS.ProcessEnv = process.env, testProcessor?: SpanProcessor): void {
  if (tracers.has(service)) return;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: tracedServiceName(service) });
  if (!processor) {
    const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
    if (!testProcessor && (!endpoint || env.OTEL_SDK_DISABLED === 'true')) return;
    processor = testProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter());
    const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
    provider.register();
    traceStatements();
    tracers.set(service, provider.getTracer('thads'));
    return;
  }
  tracers.set(service, new BasicTracerProvider({ resource, spanProcessors: [processor] }).getTracer('thads'));
}

/** The tracer of a service (the process's global one for a service not initialized). */
export function tracerOf(service?: string): Tracer {
  return (service && tracers.get(service)) || trace.getTracer('thads');
}

/** Sends the spans still batched: a stopping process would otherwise lose its last ones. */
export async function flushTracing(): Promise<void> {
  await processor?.forceFlush();
}
