/**
 * Every package a workspace imports is declared in its own package.json, and
 * every package it declares is imported. npm's hoisting makes an undeclared
 * import work on the machine that installed it and fail in the production
 * image (which installs each workspace's dependencies only) or after the
 * workspace that did declare it drops it.
 *
 * - A workspace's src/ may import only its `dependencies`.
 * - Its other files (tests, tool configuration such as a bundler's) may also use
 *   its `devDependencies`, the root's, and the workspaces.
 * - The root's own files (scripts/, bench/, test/) may use the root's
 *   devDependencies and the workspaces themselves (they run in the repository).
 * - A declared package no file imports is reported as unused, except type
 *   packages whose runtime package is imported, and the few packages that are
 *   loaded by name rather than imported (listed below with the reason).
 *
 * - Every npm override says why in the root's `//overrides` (package.json holds
 *   no comments; npm ignores keys it does not know).
 *
 * `npm run deps:check` prints every finding and exits 1 if there is any.
 */
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface Manifest {
  name: string;
  overrides?: Record<string, unknown>;
  '//overrides'?: Record<string, string>;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const root = path.resolve(__dirname, '..');
const builtins = new Set(builtinModules);

/** Declared without an import that names them; each says what loads it instead. */
const loadedByName: Record<string, string[]> = {
  // Served to the browser from node_modules by path (explorer.ts resolves their files).
  '@commerce/gateway': ['graphiql', 'react', 'react-dom'],
  // Injected into the pages under test from its file (web/test/support/browser.ts resolves axe.min.js).
  '@commerce/web': ['axe-core'],
  // Tooling run by name from npm scripts, codegen.yml or jest.config.js, not imported.
  'commerce-supergraph': [
    '@graphql-codegen/cli',
    '@graphql-codegen/client-preset',
    '@graphql-codegen/typed-document-node',
    '@graphql-codegen/typescript',
    '@graphql-codegen/typescript-operations',
    '@graphql-codegen/typescript-resolvers',
    'eslint',
    'jest',
    'ts-jest',
    'tsx',
    'turbo',
    'typescript',
  ],
};

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    if (entry === 'node_modules' || entry === '__generated__' || entry === 'dist' || entry.startsWith('.')) return [];
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|mjs|cjs)$/.test(entry) ? [full] : [];
  });
}

/** A workspace's files other than src/: its tests and its tools' configuration. */
const outsideSrc = (dir: string) => sourceFiles(path.join(root, dir)).filter((file) => !file.startsWith(path.join(root, dir, 'src') + path.sep));

const specifier = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

/** The package each bare import in these files names, with the first file that imports it. */
function importedPackages(files: string[]): Map<string, string> {
  const packages = new Map<string, string>();
  for (const file of files) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(specifier)) {
      if (!spec || spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtins.has(spec.split('/')[0]!)) continue;
      const parts = spec.split('/');
      const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
      if (!packages.has(name)) packages.set(name, path.relative(root, file));
    }
  }
  return packages;
}

/** `@types/foo__bar` types `@foo/bar`. */
const typedPackage = (types: string) => {
  const bare = types.slice('@types/'.length);
  return bare.includes('__') ? `@${bare.replace('__', '/')}` : bare;
};

function workspaceDirs(manifest: Manifest): string[] {
  return (manifest.workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent))
      .map((entry) => path.join(parent, entry))
      .filter((dir) => existsSync(path.join(root, dir, 'package.json')));
  });
}

const problems: string[] = [];
const rootManifest = readManifest(root);
const rootDev = new Set(Object.keys(rootManifest.devDependencies ?? {}));
const workspaces = workspaceDirs(rootManifest).map((dir) => ({ dir, manifest: readManifest(path.join(root, dir)) }));
const workspaceNames = new Set(workspaces.map((workspace) => workspace.manifest.name));

/** The peer dependencies of a package as installed: declaring one is how a workspace satisfies them. */
function peersOf(dependency: string): string[] {
  const manifest = path.join(root, 'node_modules', dependency, 'package.json');
  if (!existsSync(manifest)) return [];
  return Object.keys((JSON.parse(readFileSync(manifest, 'utf8')) as { peerDependencies?: Record<string, string> }).peerDependencies ?? {});
}

function checkUnused(name: string, declared: string[], used: Set<string>): void {
  const exempt = new Set([...(loadedByName[name] ?? []), ...[...used].flatMap(peersOf)]);
  for (const dependency of declared) {
    if (used.has(dependency) || exempt.has(dependency)) continue;
    if (dependency.startsWith('@types/') && (used.has(typedPackage(dependency)) || dependency === '@types/node' || dependency === '@types/jest')) continue;
    problems.push(`${name}: declares ${dependency}, which nothing in it imports`);
  }
}

for (const { dir, manifest } of workspaces) {
  const runtime = new Set(Object.keys(manifest.dependencies ?? {}));
  const dev = new Set(Object.keys(manifest.devDependencies ?? {}));
  const src = importedPackages(sourceFiles(path.join(root, dir, 'src')));
  const tests = importedPackages(outsideSrc(dir));
  for (const [dependency, file] of src) {
    if (dependency === manifest.name) continue;
    if (!runtime.has(dependency)) problems.push(`${manifest.name}: ${file} imports ${dependency}, not in its dependencies`);
  }
  for (const [dependency, file] of tests) {
    // Workspaces are linked at the root, and declaring one as a devDependency could close a cycle
    // turbo refuses (the kit depends on events, whose tests use the kit).
    if (workspaceNames.has(dependency) || runtime.has(dependency) || dev.has(dependency) || rootDev.has(dependency)) continue;
    problems.push(`${manifest.name}: ${file} imports ${dependency}, declared neither by it nor by the root's devDependencies`);
  }
  checkUnused(manifest.name, [...runtime, ...dev], new Set([...src.keys(), ...tests.keys()]));
}

const rootFiles = importedPackages(['scripts', 'bench', 'test'].flatMap((dir) => sourceFiles(path.join(root, dir))));
for (const [dependency, file] of rootFiles) {
  if (rootDev.has(dependency) || workspaceNames.has(dependency)) continue;
  problems.push(`root: ${file} imports ${dependency}, not in the root's devDependencies`);
}
// Tests in the workspaces also count as users of the root's tooling.
const usedFromRoot = new Set([
  ...rootFiles.keys(),
  ...workspaces.flatMap(({ dir }) => [...importedPackages(outsideSrc(dir)).keys()]),
  // Root configuration files (eslint.config.mjs, jest.config.js).
  ...importedPackages(readdirSync(root).filter((entry) => /\.(js|mjs|cjs)$/.test(entry)).map((entry) => path.join(root, entry))).keys(),
]);
checkUnused(rootManifest.name, [...rootDev], usedFromRoot);

const reasons = rootManifest['//overrides'] ?? {};
for (const override of Object.keys(rootManifest.overrides ?? {})) {
  if (!reasons[override]?.trim()) problems.push(`root: the override of ${override} has no reason under "//overrides"`);
}
for (const stale of Object.keys(reasons).filter((name) => !(name in (rootManifest.overrides ?? {})))) {
  problems.push(`root: "//overrides" explains ${stale}, which is no longer overridden`);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`dependencies: ${workspaces.length} workspaces and the root import only what they declare, and use all of it`);
