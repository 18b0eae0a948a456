#!/usr/bin/env node
// The package's CLI. Installed: runs the compiled lib/; in a checkout of the repository (no lib/):
// runs the TypeScript sources through the repo's swc require hook.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const compiled = path.join(root, 'lib', 'src', 'review', 'cli.js');
let cli;
if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  require(path.join(root, 'scripts', 'register.js'));
  cli = require(path.join(root, 'src', 'review', 'cli.ts'));
}
process.exitCode = cli.main(process.argv.slice(2));
