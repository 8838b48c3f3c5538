import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

/** Where the explorer's own files are served; nothing is fetched from a CDN. */
export const explorerAssetPrefix = '/graphiql/';

interface Asset {
  file: string;
  contentType: string;
}

const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`, { paths: [__dirname] }));
// react and react-dom do not export package.json; their entry points sit at the package root.
const entryDir = (name: string) => path.dirname(require.resolve(name, { paths: [__dirname] }));

const javascript = 'application/javascript; charset=utf-8';

function assetTable(): Record<string, Asset> {
  return {
    'react.production.min.js': { file: path.join(entryDir('react'), 'umd/react.production.min.js'), contentType: javascript },
    'react-dom.production.min.js': { file: path.join(entryDir('react-dom'), 'umd/react-dom.production.min.js'), contentType: javascript },
    'graphiql.min.js': { file: path.join(packageDir('graphiql'), 'graphiql.min.js'), contentType: javascript },
    'graphiql.min.css': { file: path.join(packageDir('graphiql'), 'graphiql.min.css'), contentType: 'text/css; charset=utf-8' },
  };
}

/**
 * Starts GraphiQL against this gateway's own /graphql with the headers tab
 * open (for `Authorization: Bearer …`); kept out of the HTML so a strict CSP
 * can forbid inline scripts. Queries and mutations go over HTTP; GraphiQL
 * sends subscriptions over graphql-ws on the same path (the client is in its
 * bundle), with the headers tab as connection_init's payload, which the
 * gateway reads as it reads HTTP headers.
 */
const bootScript = `(function () {
  var url = window.location.origin + '/graphql';
  var fetcher = GraphiQL.createFetcher({ url: url, subscriptionUrl: url.replace(/^http/, 'ws') });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: 'headers' }));
})();
`;

const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Commerce supergraph explorer</title>
    <link rel="stylesheet" href="${explorerAssetPrefix}graphiql.min.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading the explorer…</div>
    <script src="${explorerAssetPrefix}react.production.min.js"></script>
    <script src="${explorerAssetPrefix}react-dom.production.min.js"></script>
    <script src="${explorerAssetPrefix}graphiql.min.js"></script>
    <script src="${explorerAssetPrefix}boot.js"></script>
  </body>
</html>
`;

function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * Serves GraphiQL outside production, asked by the front door: the page on a
 * browser's GET /graphql and its scripts and styles under /graphiql/, read
 * from node_modules once and kept in memory.
 */
export function createExplorer(): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const assets = assetTable();
  const loaded = new Map<string, Promise<Buffer>>();
  const load = (name: string, asset: Asset): Promise<Buffer> => {
    let content = loaded.get(name);
    if (!content) {
      content = readFile(asset.file);
      loaded.set(name, content);
      content.catch(() => loaded.delete(name));
    }
    return content;
  };

  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const pathname = (req.url ?? '/').split('?', 1)[0]!;
    if (pathname === '/graphql' && wantsHtml(req)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : page);
      return true;
    }
    if (!pathname.startsWith(explorerAssetPrefix)) return false;
    const name = pathname.slice(explorerAssetPrefix.length);
    if (name === 'boot.js') {
      res.writeHead(200, { 'content-type': javascript, 'cache-control': 'no-cache' });
      res.end(req.method === 'HEAD' ? undefined : bootScript);
      return true;
    }
    const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (!asset) return false;
    const content = await load(name, asset);
    res.writeHead(200, {
      'content-type': asset.contentType,
      'content-length': content.length,
      // Versioned with the installed package, so a day of caching is safe.
      'cache-control': 'public, max-age=86400',
    });
    res.end(req.method === 'HEAD' ? undefined : content);
    return true;
  };
}
