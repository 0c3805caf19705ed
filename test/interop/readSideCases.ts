// The whole read-side table, in the order the report prints it.
import type { ReadSideCase } from './caseTypes';
import { OPENSSL_ENVELOPED_CASES } from './opensslEnvelopedCases';
import { OPENSSL_SIGNED_CASES } from './opensslSignedCases';
import { PEER_CASES } from './peerCases';

export const READ_SIDE_CASES: ReadSideCase[] = [...OPENSSL_SIGNED_CASES, ...OPENSSL_ENVELOPED_CASES, ...PEER_CASES];
