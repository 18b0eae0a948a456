#!/usr/bin/env node
// The package's CLI. In a checkout of the repository (src/ present): runs the TypeScript sources
// through the repo's swc require hook, so it never runs a stale build; installed from npm (only
// lib/ is shipped): runs the compiled lib/.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const source = path.join(root, 'src', 'review', 'cli.ts');
let cli;
if (fs.existsSync(source) && fs.existsSync(path.join(root, 'scripts', 'register.js'))) {
  require(path.join(root, 'scripts', 'register.js'));
  cli = require(source);
} else {
  cli = require(path.join(root, 'lib', 'src', 'review', 'cli.js'));
}
process.exitCode = cli.main(process.argv.slice(2));
