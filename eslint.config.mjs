// Lint rules that keep the architecture honest (../shared/notes/STYLE.md):
// the pure folders never import `vscode`; imports point one way.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'Pure folders must not import vscode: put VS Code glue in src/host, src/views, src/hovers, src/commands or src/panel.' }],
  }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-artifacts/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/core/**', 'src/model/**', 'src/registry/**', 'src/verify/**', 'src/provenance/**', 'src/goreleaser/**', 'src/references/**', 'src/fixes/**', 'src/diff/**', 'src/releases/**', 'src/cli/**', 'webview/**'],
    rules: noVscode,
  },
);
