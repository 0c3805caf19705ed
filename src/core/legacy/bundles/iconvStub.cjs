// Stands in for iconv-lite inside libmime. We only ask libmime to write header fields from JavaScript strings
// (buildHeaderValue, encodeWord(s): always UTF-8, which it converts without iconv-lite); its charset decoders never
// run. Should one run, every charset is reported as one it does not support, and libmime falls back to UTF-8
// (its own behaviour for an unknown charset) instead of shipping hundreds of KB of code tables.
const NO_CODEC = Object.freeze({ unsupported: true });
const refuse = () => {
  throw new Error('charset conversion is not included in this build');
};
module.exports = { getCodec: () => NO_CODEC, decode: refuse, encode: refuse, encodingExists: () => false };
