import { openRedis } from '@commerce/pubsub';

/**
 * Clears a run's namespace from Redis and says what was found. Live channels
 * hold no keys and vanish with their last subscriber, so after a clean stop
 * there is nothing; a channel still listed means a subscriber outlived the run.
 */
export async function clearRedisNamespace(url: string, namespace: string): Promise<string> {
  const redis = await openRedis({ url, namespace, role: 'bench-cleanup', retry: 'once-ready' });
  try {
    const channels = (await redis.call('PUBSUB', 'CHANNELS', `${namespace}.*`)) as string[];
    let keys = 0;
    let cursor = '0';
    do {
      const [nextCursor, found] = await redis.scan(cursor, 'MATCH', `${namespace}*`, 'COUNT', 1000);
      cursor = nextCursor;
      if (found.length > 0) keys += await redis.del(...found);
    } while (cursor !== '0');
    const stillSubscribed = channels.length === 0 ? 'no channel subscribed' : `${channels.length} channels still subscribed (${channels.slice(0, 3).join(', ')})`;
    return `${stillSubscribed}, ${keys === 0 ? 'no keys' : `${keys} keys deleted`} under \`${namespace}\``;
  } finally {
    redis.disconnect();
  }
}
