// Builds one service for production: `node ../../scripts/bundle.mjs` from a
// service's workspace bundles its src/index.ts into dist/index.js, which plain
// `node` runs without tsx or any other dev dependency.
//
// The @commerce/* workspaces are TypeScript source (their package.json points
// at src/index.ts), so they are bundled in; every other package stays an
// external require resolved from node_modules at run time. That keeps the
// bundle small and leaves packages that find their own files on disk
// (pglite's WebAssembly, graphiql's assets, pino's workers) where they expect.
//
// dist/ sits beside src/, so a module that reads a file next to the workspace
// (`path.join(__dirname, '../schema.graphql')`) finds it from either.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const workspace = process.cwd();
const { name } = JSON.parse(readFileSync(path.join(workspace, 'package.json'), 'utf8'));
const entry = process.argv[2] ?? 'src/index.ts';

const outdir = path.join(workspace, 'dist');

/** The directory node would load `name` from, looking up from `dir` as require does. */
function installedAt(name, dir) {
  for (let current = dir; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(current) === current) return undefined;
  }
}

/**
 * Bare imports other than the repository's own workspaces load from node_modules.
 * npm may nest a second major version under the workspace that asked for it
 * (packages/service-kit/node_modules/@opentelemetry/resources 2.x while the root
 * holds 1.x for @apollo/gateway). From dist/, a bare require would find the
 * root's copy, so such an import is pointed at the nested copy by relative path;
 * the image keeps the repository's layout, so the path holds there too.
 */
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@commerce/')) return undefined;
      const parts = args.path.split('/');
      const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      const wanted = installedAt(name, args.resolveDir);
      if (!wanted || wanted === installedAt(name, outdir)) return { path: args.path, external: true };
      const subpath = args.path.slice(name.length);
      return { path: `${path.relative(outdir, wanted)}${subpath}`, external: true };
    });
  },
};

const result = await build({
  entryPoints: [path.join(workspace, entry)],
  outfile: path.join(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Stack traces and logs keep the source's class and function names.
  keepNames: true,
  tsconfig: path.join(workspace, 'tsconfig.json'),
  plugins: [thirdPartyExternal],
  logLevel: 'warning',
  metafile: true,
});

const bytes = Object.values(result.metafile.outputs).reduce((total, output) => total + output.bytes, 0);
console.log(`${name}: ${path.relative(workspace, path.join(workspace, 'dist/index.js'))} (${Math.round(bytes / 1024)} KiB with its source map)`);
