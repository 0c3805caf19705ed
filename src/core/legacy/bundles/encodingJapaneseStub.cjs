// Stands in for encoding-japanese inside libmime (see iconvStub.cjs): libmime catches the error and uses UTF-8.
module.exports = {
  convert() {
    throw new Error('Japanese charsets are not included in this build');
  },
};
