// One lint configuration for the whole repository: `npm run lint` runs it once over everything (`eslint .`); each workspace's `lint` script (turbo run lint) over that workspace.
import tseslint from 'typescript-eslint';

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
    },
  },
);
