/**
 * Serves the built web app (web/dist) with node:http: files as they are,
 * index.html for every other path (the app routes in the browser), and
 * /app-config.js, which tells the app where the gateway is. One build so runs
 * behind any gateway address: by default the gateway is on `gatewayPort` of the
 * host the browser asked for, so http://localhost:3000 talks to
 * http://localhost:4000/graphql and a LAN address to the same LAN address.
 */
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

export const webDistDir = path.resolve(__dirname, '../web/dist');

/** Builds the app (`npm run web:build`) when there is no build yet: a fresh clone's first `npm start`. */
export async function ensureWebBuild(distDir: string = webDistDir): Promise<void> {
  if (existsSync(path.join(distDir, 'index.html'))) return;
  console.log('Building the web app (web/) once…');
  await promisify(execFile)('npm', ['run', 'web:build'], { cwd: path.resolve(__dirname, '..'), timeout: 300_000 });
}

export interface WebServerOptions {
  port: number;
  host: string;
  /** The built app; defaults to web/dist. */
  distDir?: string;
  /** The gateway's /graphql URL as a browser reaches it; unset, `gatewayPort` on the page's host. */
  graphqlUrl?: string;
  gatewayPort?: number;
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function graphqlUrlFor(req: IncomingMessage, options: WebServerOptions): string {
  if (options.graphqlUrl) return options.graphqlUrl;
  const host = new URL(`http://${req.headers.host ?? 'localhost'}`).hostname;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `http://${hostPart}:${options.gatewayPort ?? 4000}/graphql`;
}

function securityHeaders(res: ServerResponse, graphqlUrl: string): void {
  const gateway = new URL(graphqlUrl);
  const websocket = `${gateway.protocol === 'https:' ? 'wss' : 'ws'}://${gateway.host}`;
  res.setHeader(
    'content-security-policy',
    `default-src 'self'; connect-src 'self' ${gateway.origin} ${websocket}; img-src 'self' data: https:; style-src 'self'; frame-ancestors 'none'; base-uri 'self'`,
  );
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

async function sendFile(res: ServerResponse, file: string, immutable: boolean): Promise<void> {
  const info = await stat(file);
  res.writeHead(200, {
    'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    // Vite names assets by content hash; index.html must always be asked again.
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(file).pipe(res);
}

async function answer(req: IncomingMessage, res: ServerResponse, options: WebServerOptions, root: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const graphqlUrl = graphqlUrlFor(req, options);
  securityHeaders(res, graphqlUrl);
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://web').pathname);
  if (pathname === '/app-config.js') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' });
    res.end(`window.__APP_CONFIG__ = ${JSON.stringify({ graphqlUrl })};\n`);
    return;
  }
  if (pathname === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  const file = path.join(root, path.normalize(pathname));
  // Nothing outside the build, however the path is spelled.
  if (file.startsWith(root + path.sep) && existsSync(file) && (await stat(file)).isFile()) {
    await sendFile(res, file, pathname.startsWith('/assets/'));
    return;
  }
  if (pathname.startsWith('/assets/') || path.extname(pathname)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  await sendFile(res, path.join(root, 'index.html'), false);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const root = path.resolve(options.distDir ?? webDistDir);
  if (!existsSync(path.join(root, 'index.html'))) throw new Error(`No built web app in ${root}: run \`npm run web:build\``);
  const server: Server = createServer((req, res) => {
    answer(req, res, options, root).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '127.0.0.1' ? 'localhost' : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
