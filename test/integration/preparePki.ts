// Makes the test PKI ahead of the integration tests (run by run-integration-tests.mjs while VS Code starts):
//   node out/integration/preparePki.js DIR
// The extension hosts of both runs then read it (SMIME_TEST_PKI=DIR) instead of each spending seconds of openssl
// calls on their own. PREPARED_PKI_FILE is written last, by rename, so a reader never sees half of it; on failure
// it holds { error } instead.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, PREPARED_PKI_FILE } from '../helpers/pki';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node out/integration/preparePki.js DIR');
  process.exit(2);
}
/** Readers stop waiting at the first answer: the PKI, or why there is none. */
function answer(content: object): void {
  writeFileSync(join(dir, `${PREPARED_PKI_FILE}.tmp`), JSON.stringify(content));
  renameSync(join(dir, `${PREPARED_PKI_FILE}.tmp`), join(dir, PREPARED_PKI_FILE));
}

createTestPki(dir).then(answer, (e: unknown) => {
  const error = String((e as Error)?.stack ?? e);
  console.error(`[integration] the test PKI could not be made: ${error}`);
  answer({ error });
  process.exit(1);
});
