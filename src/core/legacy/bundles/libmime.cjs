// Entry of dist/legacy/libmime.js (see esbuild.mjs): libmime as a file of its own, loaded on first use, with
// iconv-lite and encoding-japanese replaced by the stubs next to this file.
module.exports = require('libmime');
