// Lint keeps the architecture honest: renderer → shared ← electron, never renderer → electron,
// shared depends on neither, and only the Electron entry and preload import 'electron'.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronOnly = { name: 'electron', message: "Only electron/main.ts and electron/preload.ts may import 'electron'; services stay plain Node so the CLI and tests can run them." };

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.infra/', '.scratch/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            { group: ['**/electron/**', '**/electron'], message: 'The renderer talks to the services only through the API contract in shared/.' },
            { group: ['node:*'], message: 'The renderer is sandboxed: no Node APIs.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is the contract both sides depend on; it depends on neither.' },
            { group: ['node:*'], message: 'shared/ runs in the sandboxed renderer too: no Node APIs.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
