// One lint configuration for the whole repository: `npm run lint` runs `eslint .` at the root; each workspace's `lint` script runs it over that workspace.
import tseslint from 'typescript-eslint';

const subgraphs = ['users', 'catalog', 'orders', 'payments', 'logistics'];

const workspaces = ['service-kit', 'events', 'pubsub', 'simulator', ...subgraphs, 'gateway'];

/** A workspace's files reach another only through its package exports (its `main`, `exports`), never its src/. */
const deepImportsInto = (names) => ({
  group: names.flatMap((name) => {
    const folder = name === 'gateway' ? 'gateway' : subgraphs.includes(name) ? `subgraphs/${name}` : `packages/${name}`;
    return [`@commerce/${name}/src`, `@commerce/${name}/src/**`, `**/${folder}/src`, `**/${folder}/src/**`];
  }),
  message: 'Import through the package’s exports (e.g. @commerce/service-kit, @commerce/service-kit/testing); add what is missing to its index.',
});
const deepImports = deepImportsInto(workspaces);

/** The ways a file can name a subgraph: its package, or a path into subgraphs/. */
const subgraphImports = (names) =>
  names.flatMap((name) => [`@commerce/${name}`, `@commerce/${name}/**`, `**/subgraphs/${name}`, `**/subgraphs/${name}/**`, `../../${name}/**`]);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/__generated__/**', '**/dist/**', '.data/**'] },
  ...tseslint.configs.recommended,
  {
    // Plain CommonJS config and tool scripts.
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [deepImports] }],
    },
  },
  // Boundaries: a subgraph never imports another (they share only events, packages and the supergraph), and
  // the gateway never imports a subgraph (it knows them through the composed supergraph alone).
  ...subgraphs.map((name) => ({
    files: [`subgraphs/${name}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: subgraphImports(subgraphs.filter((other) => other !== name)), message: 'A subgraph never imports another subgraph: share through @commerce/events or a package.' },
          ],
        },
      ],
    },
  })),
  {
    files: ['gateway/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: subgraphImports(subgraphs), message: 'The gateway never imports a subgraph: it knows them through the supergraph.' }] },
      ],
    },
  },
);
