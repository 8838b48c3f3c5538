// This machine's npm registry lacks turbo's macOS and Windows binaries, so
// `npm install` here writes a lockfile without them and `npm ci` then refuses
// it ("Missing: @turbo/darwin-64 from lock file"). Re-adding the entries as
// optional, platform-gated packages keeps the lockfile valid everywhere; run
// `node scripts/lockfile-platforms.js` after any `npm install` on such a machine.
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const turbo = lock.packages['node_modules/turbo'];
const platforms = [
  ['darwin-64', 'darwin', 'x64'],
  ['darwin-arm64', 'darwin', 'arm64'],
  ['windows-64', 'win32', 'x64'],
  ['windows-arm64', 'win32', 'arm64'],
];
for (const [name, os, cpu] of platforms) {
  lock.packages[`node_modules/@turbo/${name}`] ??= {
    version: turbo.version,
    cpu: [cpu],
    dev: true,
    license: 'MIT',
    optional: true,
    os: [os],
  };
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
