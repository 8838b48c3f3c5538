/**
 * What the catalog subgraph is, fixed in code: its name, which is also the Postgres
 * schema it owns (its tables, and its outbox and inbox where it has them), and
 * the port it listens on when PORT is unset. Everything read from the
 * environment is the kit's shared configuration, which runSubgraph validates
 * at start-up (packages/service-kit/src/config.ts).
 */
export const config = {
  name: 'catalog',
  defaultPort: 4002,
} as const;
