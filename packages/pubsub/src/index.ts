export { silentLiveLogger, type LiveLogger, type LivePubSub, type Unsubscribe } from './live-pubsub';
export { InMemoryLiveBroker, InMemoryLivePubSub, type InMemoryLivePubSubOptions } from './in-memory-live-pubsub';
export { RedisLivePubSub, type RedisLivePubSubOptions } from './redis-live-pubsub';
export * from './channels';
export * from './redis-connection';
export * from './redis-url';
