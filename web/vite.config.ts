import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The workspace has its own React while Apollo Client resolves the root's: one copy, or hooks break.
  resolve: { dedupe: ['react', 'react-dom'] },
  server: { port: Number(process.env.WEB_PORT ?? 3000), strictPort: true },
  build: { outDir: 'dist', target: 'es2022', sourcemap: false },
});
