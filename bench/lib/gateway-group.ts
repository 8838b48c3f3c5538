import type { GatewayChild } from './children';

/**
 * Several gateway processes measured as one, as a Node cluster (GATEWAY_WORKERS)
 * would run them: subscribers are spread over their URLs, and the stats add up
 * (memory, CPU, subscribers; resolutions count once per process, since each
 * instance resolves each event for its own subscribers).
 */
export class GatewayGroup {
  constructor(readonly members: GatewayChild[]) {
    if (members.length === 0) throw new Error('a gateway group needs at least one gateway');
  }

  get urls(): string[] {
    return this.members.map((member) => member.url);
  }

  get url(): string {
    return this.members[0]!.url;
  }

  get pids(): number[] {
    return this.members.map((member) => member.pid);
  }

  /** Each process' own stats, in the order of `members`. */
  memberStats(gc = false): Promise<Awaited<ReturnType<GatewayChild['stats']>>[]> {
    return Promise.all(this.members.map((member) => member.stats(gc)));
  }

  async stats(gc = false): Promise<Awaited<ReturnType<GatewayChild['stats']>>> {
    const all = await this.memberStats(gc);
    const sum = (pick: (s: (typeof all)[number]) => number) => all.reduce((total, s) => total + pick(s), 0);
    const served = all.every((s) => s.subscriptions !== null);
    return {
      type: 'stats',
      rss: sum((s) => s.rss),
      heapUsed: sum((s) => s.heapUsed),
      cpuMicros: sum((s) => s.cpuMicros),
      dedup: null,
      subscriptions: served
        ? {
            subscribers: sum((s) => s.subscriptions!.subscribers),
            shared: sum((s) => s.subscriptions!.shared),
            resolutions: sum((s) => s.subscriptions!.resolutions),
          }
        : null,
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((member) => member.stop()));
  }
}
