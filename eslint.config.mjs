import tseslint from 'typescript-eslint';

const VSCODE_FREE =
  'src/cm, src/model, src/engine, src/servers, src/settings and tools run in plain Node (the engine in a worker thread): do not import vscode here.';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', '.cache/**', 'node_modules/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'no-console': 'off',
    },
  },
  {
    // Fakes implement async interfaces without awaiting, and tests stringify tooltips and manifests on purpose.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  // Scripts and browser tests are plain JavaScript outside the TypeScript project.
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/cm/**/*.ts', 'src/model/**/*.ts', 'src/engine/**/*.ts', 'src/servers/**/*.ts', 'src/settings/**/*.ts', 'tools/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: VSCODE_FREE }] }],
    },
  },
);
