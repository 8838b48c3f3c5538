/**
 * The four public-benchmark subgraphs in a process of their own (pinned away
 * from the gateways' core), so that serving them shares no event loop with a
 * gateway or the load generator. Talks to bench/public.ts over IPC.
 */
import { startSubgraph, subgraphNames, type RunningSubgraph } from './subgraphs';

export type SubgraphParentMessage = { type: 'count' } | { type: 'stop' };
export type SubgraphChildMessage = { type: 'ready'; urls: Record<string, string> } | { type: 'count'; requests: Record<string, number> };

let running: RunningSubgraph[] = [];

async function stop(): Promise<void> {
  await Promise.all(running.map((s) => s.close()));
  process.exit(0);
}

process.on('message', (message: SubgraphParentMessage) => {
  if (message.type === 'count') {
    process.send?.({ type: 'count', requests: Object.fromEntries(running.map((s) => [s.name, s.requests()])) } satisfies SubgraphChildMessage);
  } else void stop();
});
process.on('disconnect', () => void stop());

Promise.all(subgraphNames.map(startSubgraph)).then(
  (started) => {
    running = started;
    process.send?.({ type: 'ready', urls: Object.fromEntries(started.map((s) => [s.name, s.url])) } satisfies SubgraphChildMessage);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
