// jest globalSetup: a fresh record of what this run synthesizes (read by the server layer).
const fs = require('fs');
const path = require('path');

module.exports = () => {
  const dir = path.resolve(process.env.MESH_VALIDATION_DIR || path.join(__dirname, '..', '..', '.validation'));
  fs.rmSync(path.join(dir, 'manifests'), { recursive: true, force: true });
  fs.rmSync(path.join(dir, 'fast'), { recursive: true, force: true });
};
