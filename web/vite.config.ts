import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: { port: Number(process.env.WEB_PORT ?? 3000), strictPort: true },
  build: { outDir: 'dist', target: 'es2022', sourcemap: false },
});
