// Entry of dist/legacy/forge.js (see esbuild.mjs): node-forge as a file of its own, loaded on first use.
module.exports = require('node-forge');
