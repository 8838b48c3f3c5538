/**
 * What the rest of the repository (the quickstart scripts, the benchmarks and the end-to-end
 * tests) may use of the gateway: its package entry point. Everything else in src/ is internal.
 */
export { createGateway, type RunningGateway } from './server';
export { startGateway } from './start';
export { withEnforcedSecurityFeatures } from './authorization/supergraph';
export { ClientRegistry } from './operations/clients';
export { Manifest } from './operations/manifest';
export type { SubscriptionStats } from './subscriptions/service';
export { jwksVerifier } from './tokens/jwks-verifier';
export { InMemorySignInAttempts, type SignInAttempts } from './limits/sign-in-attempts';
export { RedisSignInAttempts } from './limits/redis-sign-in-attempts';
