import { InMemoryLiveBroker, InMemoryLivePubSub } from '../src';
import { describeLivePubSubContract, inbox, sleep } from './live-pubsub.contract';

let broker = new InMemoryLiveBroker();
beforeEach(() => {
  broker = new InMemoryLiveBroker();
});

describeLivePubSubContract('InMemoryLivePubSub', {
  create: async (namespace) => new InMemoryLivePubSub({ namespace, broker }),
});

describe('InMemoryLivePubSub', () => {
  it('never runs a subscriber inside publish()', async () => {
    const pubsub = new InMemoryLivePubSub();
    const received = inbox();
    await pubsub.subscribe('orderUpdated.1', received.onMessage);

    await pubsub.publish('orderUpdated.1', { orderId: '1' });
    expect(received.messages).toEqual([]);
    await sleep(5);
    expect(received.messages).toEqual([{ orderId: '1' }]);
    await pubsub.close();
  });

  it('drops a message already on its way when its subscriber unsubscribes first', async () => {
    const pubsub = new InMemoryLivePubSub();
    const received = inbox();
    const unsubscribe = await pubsub.subscribe('orderUpdated.1', received.onMessage);

    await pubsub.publish('orderUpdated.1', { orderId: '1' });
    await unsubscribe();
    await sleep(5);
    expect(received.messages).toEqual([]);
    await pubsub.close();
  });

  it('refuses a namespace that could not be a Redis channel prefix of ours', () => {
    expect(() => new InMemoryLivePubSub({ namespace: 'Has Spaces' })).toThrow(/namespace/);
  });
});
