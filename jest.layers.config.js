// The layers that read what the main run recorded in .validation/ (the server layer and promtool),
// in one jest process: `npm test` runs this after jest.suite.config.js.
/** @type {import('jest').Config} */
module.exports = {
  projects: ['<rootDir>/jest.server.config.js', '<rootDir>/jest.promtool.config.js'],
};
