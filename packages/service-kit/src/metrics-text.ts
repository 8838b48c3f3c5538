/** One sample of a Prometheus text exposition: `name{label="value",…} value`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of a Prometheus text exposition (comments skipped), for tests that read /metrics. */
export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = sampleLine.exec(line);
    if (!match || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(labelPair)) labels[name!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** What one scrape read. */
export class MetricsScrape {
  constructor(readonly samples: MetricSample[]) {}

  /** The samples of `name` whose labels include every one of `labels`. */
  matching(name: string, labels: Record<string, string> = {}): MetricSample[] {
    return this.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  }

  /** Their sum: 0 when there are none, as for a counter not yet incremented. */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.matching(name, labels).reduce((sum, sample) => sum + sample.value, 0);
  }
}

/** GETs a service's /metrics (`metricsUrl`, or its /graphql URL) and parses it. */
export async function scrapeMetrics(url: string): Promise<MetricsScrape> {
  const response = await fetch(url.replace(/\/graphql$/, '/metrics'));
  if (!response.ok) throw new Error(`GET ${response.url} answered ${response.status}`);
  return new MetricsScrape(parseMetrics(await response.text()));
}
