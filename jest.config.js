// One jest configuration for the whole repository: a project per workspace, so
// `npm test` runs everything and `jest --selectProjects orders` runs one.
const path = require('node:path');

const workspaces = [
  'packages/service-kit',
  'packages/events',
  'packages/pubsub',
  'subgraphs/users',
  'subgraphs/catalog',
  'subgraphs/orders',
  'subgraphs/payments',
  'subgraphs/logistics',
  'gateway',
  'test',
];

// ts-jest only transpiles: type errors in tests are caught by `npm run typecheck`
// (every workspace's tsconfig includes its test/, the root one includes test/),
// which .ci/run runs before the tests. Checking each file again here would cost
// a TypeScript program per project on every run for no new errors.
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };

// The web app's browser tests (web/test): its own tsconfig, since web/ itself is an ES module bundle.
const webProject = {
  displayName: 'web',
  rootDir: '<rootDir>/web',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: path.join(__dirname, 'web/test/tsconfig.json') }] },
  setupFiles: [path.join(__dirname, 'jest.setup.js')],
};

module.exports = {
  testTimeout: 60_000,
  projects: [...workspaces.map((dir) => ({
    displayName: dir === 'test' ? 'supergraph' : dir.split('/').pop(),
    rootDir: `<rootDir>/${dir}`,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/'],
    transform,
    setupFiles: [path.join(__dirname, 'jest.setup.js')],
  })), webProject],
};
