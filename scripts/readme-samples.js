#!/usr/bin/env node
// Every ```ts block in README.md is a complete program (imports from 'cdk8s-mesh', ends with
// app.synth()). This writes them to .readme-samples/ with the import pointed at src/, so `npm test`
// type-checks them (tsc) and test/readme.test.ts runs them: a README sample can't rot.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, '.readme-samples');

/** The README's TypeScript samples, in order, with the package import pointed at src/. */
function readmeSamples() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1].replace(/from 'cdk8s-mesh'/g, "from '../src'"));
}

/** Writes the samples, leaving an unchanged one untouched (tsc -b then skips it) and removing stale ones. */
function writeSamples() {
  fs.mkdirSync(OUT, { recursive: true });
  const files = readmeSamples().map((code, i) => {
    const file = path.join(OUT, `sample-${i + 1}.ts`);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== code) fs.writeFileSync(file, code);
    return file;
  });
  for (const f of fs.readdirSync(OUT)) if (!files.includes(path.join(OUT, f))) fs.rmSync(path.join(OUT, f), { recursive: true, force: true });
  return files;
}

module.exports = { readmeSamples, writeSamples };
if (require.main === module) writeSamples();
