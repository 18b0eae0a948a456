// A minimal require hook: transpiles .ts with swc (no type-check) so `npm run synth` starts in a
// fraction of ts-node's time (ts-node loads the TypeScript compiler even with --swc). Type
// checking is `npm test`'s job (tsc --noEmit).
//
// Transpiled files are cached in node_modules/.cache/cdk8s-mesh-swc, keyed by a hash of the
// source, its path, this file and the swc version, so a warm run never even loads @swc/core.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'cdk8s-mesh-swc');
const SALT = fs.readFileSync(__filename, 'utf8') + fs.readFileSync(path.join(ROOT, 'node_modules', '@swc', 'core', 'package.json'), 'utf8');
let swc;

function transpile(source, filename) {
  swc = swc || require('@swc/core');
  return swc.transformSync(source, {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  }).code;
}

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha1').update(SALT).update(filename).update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = transpile(source, filename);
    try {
      fs.mkdirSync(CACHE, { recursive: true });
      const tmp = `${cached}.${process.pid}`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, cached); // atomic: concurrent runs never read a partial file
    } catch {
      // a read-only tree just runs uncached
    }
  }
  module._compile(code, filename);
};
