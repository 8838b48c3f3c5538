// Codegen hook: keeps generated files free of trailing whitespace so diffs stay clean.
const { readFileSync, writeFileSync } = require('node:fs');
for (const file of process.argv.slice(2)) {
  writeFileSync(file, readFileSync(file, 'utf8').replace(/[ \t]+$/gm, ''));
}
