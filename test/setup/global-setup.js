// jest globalSetup: a fresh record of what this run synthesizes (read by the server layer), and a
// temporary folder of the run's own. Testing.app() makes a folder under os.tmpdir() for every app
// and never removes it (~1,000 per `npm test`); the workers, started after this, inherit TMPDIR, so
// those folders land in .validation/tmp/ and the next run clears them.
const fs = require('fs');
const path = require('path');

module.exports = () => {
  const dir = path.resolve(process.env.MESH_VALIDATION_DIR || path.join(__dirname, '..', '..', '.validation'));
  fs.rmSync(path.join(dir, 'manifests'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'fast'), { recursive: true, force: true });
  const tmp = path.join(dir, 'tmp');
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  process.env.TMPDIR = tmp;
};
