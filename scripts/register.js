// A minimal require hook: transpiles .ts with swc (no type-check) so `npm run synth` starts in a
// fraction of ts-node's time (ts-node loads the TypeScript compiler even with --swc). Type
// checking is `npm test`'s job (tsc --noEmit).
'use strict';
const fs = require('fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
