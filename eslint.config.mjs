import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'no-console': 'off',
    },
  },
  {
    // The CM client must run (and be tested) in plain Node, outside VS Code.
    files: ['src/cm/**/*.ts', 'src/model/**/*.ts', 'tools/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/cm, src/model and tools run in plain Node: do not import vscode here.' }] }],
    },
  },
);
