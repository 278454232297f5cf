// Lint (`npm run lint`, after `prettier --check`). Formatting is prettier's job:
// no stylistic rules here. typescript-eslint's recommended set without type
// information, so that a lint run stays fast on a small machine.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Node's own modules by their bare names (the node: prefix is caught by a pattern). */
const NODE_MODULES = builtinModules.filter((m) => !m.startsWith('node:'));

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'build/', '.cache/', 'reports/', '.stryker-tmp/', 'native/', 'test/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        structuredClone: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off', // the kernel's byte rules are about control characters
    },
  },
  {
    // The pure core and the ELF reader: strings and bytes in, values out. No
    // file system, no process, no Node API: the I/O layer feeds them.
    files: ['src/core/**/*.ts', 'src/elf/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...NODE_MODULES.map((name) => ({
              name,
              message:
                'src/core and src/elf are pure: no Node modules (do the I/O in src/kernel, src/config or the CLI).',
            })),
            {
              name: 'node:path',
              allowImportNames: ['posix'],
              message:
                'src/core and src/elf take only posix from node:path (string arithmetic, the same on every host).',
            },
          ],
          // node:path is the one Node module allowed (its posix part, above): README and
          // test/architecture/imports.test.ts say the same.
          patterns: [{ group: ['node:*', '!node:path'], message: 'src/core and src/elf are pure: no Node modules.' }],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/core and src/elf are pure: pass what you need in.' },
        { name: 'Buffer', message: 'src/core and src/elf use Uint8Array, not Node Buffer.' },
        { name: 'require', message: 'src/core and src/elf are ES modules without Node.' },
      ],
    },
  },
);
