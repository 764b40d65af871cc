// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layers, lowest first; each may import only from the ones below it (see README, Architecture).
 * Domains are every folder of src not named here (trades, jobs, auth, and those to come).
 */
const LIB = './src/lib/**';
const INFRA = ['./src/infra/**', './src/config.ts'];
const DOMAINS = './src/!(lib|infra|graph|http|cli|demo)/**';
const DEMO = './src/demo/**';
const GRAPH = './src/graph/**';
const HTTP = './src/http/**';
// Globs throughout: the rule refuses a `from` that mixes globs and plain paths.
const ENTRY = ['./src/@(server|main).ts', './src/cli/**'];

const layerZones = [
  {
    target: LIB,
    from: ['./src/!(lib)/**', './src/*.ts'],
    message: 'src/lib is the bottom layer: pure helpers import nothing else of src.',
  },
  { target: INFRA, from: ['./src/!(lib|infra)/**', './src/@(server|main).ts'], message: 'infra and config import only src/lib.' },
  {
    target: DOMAINS,
    from: [DEMO, GRAPH, HTTP, ...ENTRY],
    message: 'A domain knows nothing of GraphQL, HTTP, the demo or the entry points.',
  },
  { target: DEMO, from: [GRAPH, HTTP, ...ENTRY], message: 'The demo may use the domain, never the graph, HTTP or the entry points.' },
  { target: GRAPH, from: [DEMO, HTTP, ...ENTRY], message: 'The graph sits below the entry points and beside http.' },
  { target: HTTP, from: [DEMO, GRAPH, ...ENTRY], message: 'http sits below the entry points and beside the graph.' },
  { target: './src/server.ts', from: ['./src/@(main).ts', './src/cli/**'], message: 'server.ts is composed by main.ts, not the reverse.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.data/', 'test/generated/', 'test/.generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Resolves this code's './x.js' specifiers to their x.ts files; without it the layer rule passes silently.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-unresolved': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The dashboard's ES modules run in the browser as they are, without a build step.
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'sessionStorage',
          'fetch',
          'performance',
          'requestAnimationFrame',
          'ResizeObserver',
          'Node',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // Tests read untyped JSON answers of the server; typing each one would only restate the schema.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
