// jest globalTeardown: how many objects the fast layer validated across the whole run.
const fs = require('fs');
const path = require('path');

const lines = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : [])
  .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));

module.exports = () => {
  const dir = path.resolve(process.env.MESH_VALIDATION_DIR || path.join(__dirname, '..', '..', '.validation'));
  const stats = lines(path.join(dir, 'fast'));
  const validated = stats.reduce((n, s) => n + s.validated, 0);
  const rejected = stats.filter((s) => !s.expected).reduce((n, s) => n + s.rejected, 0);
  const expected = stats.filter((s) => s.expected).reduce((n, s) => n + s.rejected, 0);
  const unique = new Set(lines(path.join(dir, 'manifests')).map((r) => JSON.stringify(r.object))).size;
  process.stdout.write(`\nfast validation layer: ${validated} objects validated in ${stats.length} synthesized charts, ${rejected} rejected` +
    (expected ? ` (+${expected} rejected on purpose by the hook's own test)` : '') + '; ' +
    `${unique} distinct custom resources recorded in ${path.relative(process.cwd(), dir) || '.'}/manifests for the server layer\n\n`);
};
