import { SpanStatusCode, context, createContextKey, propagation, trace, type Context, type Span, type SpanOptions } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SamplingDecision,
  type ReadableSpan,
  type Sampler,
  type Span as SdkSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export const tracer = trace.getTracer('@commerce/service-kit');

/** Which service a piece of work belongs to, for the spans started under it. */
const serviceKey = createContextKey('commerce.service');

/**
 * The processors spans go to, changeable after registration (the SDK's are
 * fixed at construction): the OTLP exporter when configured, and whatever a
 * test records with. One provider may serve several services (the quickstart
 * runs them all in one process), so each span is also tagged with the service
 * it was started under.
 */
class Processors implements SpanProcessor {
  readonly list: SpanProcessor[] = [];

  onStart(span: SdkSpan, parentContext: Context): void {
    const service = parentContext.getValue(serviceKey);
    if (typeof service === 'string') span.setAttribute('service.name', service);
    for (const processor of this.list) processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    for (const processor of this.list) processor.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.list.map((processor) => processor.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.list.map((processor) => processor.shutdown()));
  }
}

let processors: Processors | null = null;

/**
 * Spans are recorded only while something takes them; otherwise they are
 * created unrecorded, which still gives every request a trace id for the logs
 * and for the services and events downstream, at almost no cost.
 */
function recordWhileExported(list: Processors): Sampler {
  const parentBased = new ParentBasedSampler({ root: new AlwaysOnSampler() });
  return {
    shouldSample: (...args) => (list.list.length > 0 ? parentBased.shouldSample(...args) : { decision: SamplingDecision.NOT_RECORD }),
    toString: () => 'RecordWhileExported',
  };
}

/**
 * Sets up tracing for this process, once (later calls do nothing): the active
 * context follows async calls, W3C `traceparent` / `tracestate` carry it
 * between services, and with OTEL_EXPORTER_OTLP_ENDPOINT set spans are sent
 * there over OTLP/HTTP. The resource names the first caller's service unless
 * OTEL_SERVICE_NAME says otherwise.
 */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): void {
  if (processors) return;
  const list = new Processors();
  processors = list;
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint) list.list.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` })));
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const resource = resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || service });
  trace.setGlobalTracerProvider(new BasicTracerProvider({ resource, sampler: recordWhileExported(list), spanProcessors: [list] }));
}

/** Sends every span ended from now on to `processor` too (tests record with it); returns the undo. */
export function addSpanProcessor(processor: SpanProcessor): () => void {
  if (!processors) throw new Error('startTracing() must run before spans can be recorded');
  const list = processors.list;
  list.push(processor);
  return () => {
    const index = list.indexOf(processor);
    if (index >= 0) list.splice(index, 1);
  };
}

/** Sends the spans still buffered, e.g. before the process exits. */
export async function flushTracing(): Promise<void> {
  await processors?.forceFlush();
}

/** `parent` with `service` as the owner of spans started under it. */
export function serviceContext(service: string, parent: Context = context.active()): Context {
  return parent.setValue(serviceKey, service);
}

/** Runs `work` as `service`'s: the active span and every span started inside are tagged with it. */
export function inService<T>(service: string, work: () => T): T {
  trace.getActiveSpan()?.setAttribute('service.name', service);
  return context.with(serviceContext(service), work);
}

/** Runs `work` in a new active span under `parent`, ending it when work settles (marked failed if it throws). */
export function inSpan<T>(name: string, options: SpanOptions, parent: Context, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
