// ESLint judges the code, Prettier formats it (`npm run lint` runs both). typescript-eslint's recommended rules,
// without type information: the whole tree lints in seconds.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '**/node_modules/',
      'cdktf.out/',
      '.emulator/',
      'reports/',
      'dist/',
      '.build/',
      'coverage/',
      'test/corpus/cases/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore names what is deliberately unused (a destructured field left out, a required parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  // Plain JavaScript files are configuration and small launchers run by Node as CommonJS or ESM.
  { files: ['**/*.{js,cjs,mjs}'], languageOptions: { globals: globals.node } },
  { files: ['**/*.{js,cjs}'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests walk synthesized Terraform JSON and SDK replies, whose shapes they assert rather than type.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
