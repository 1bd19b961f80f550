import { defineConfig } from 'vitest/config';
import { knowledgePlugin } from './knowledge/vite-plugin';

export default defineConfig({
  plugins: [knowledgePlugin()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
