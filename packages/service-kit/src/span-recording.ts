import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { addSpanProcessor, startTracing } from './tracing';

export type { ReadableSpan };

export interface SpanRecording {
  /** The spans ended since recording started, oldest first. */
  spans(): ReadableSpan[];
  stop(): void;
}

/** Records every span this process ends from now on (starting tracing, without an exporter, if nothing has yet), for tests. */
export function recordSpans(): SpanRecording {
  startTracing('test', {});
  const exporter = new InMemorySpanExporter();
  const stop = addSpanProcessor(new SimpleSpanProcessor(exporter));
  return { spans: () => exporter.getFinishedSpans(), stop };
}
