import assert from 'node:assert/strict';
import { KeyError } from '../../../src/core/keys';

/** The KeyError code `fn` throws, or 'no error'; any other exception fails the test. */
export function keyErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof KeyError, `expected KeyError, got ${(e as Error).stack}`);
    return e.code;
  }
  return 'no error';
}

/** The KeyError code `pending` rejects with, or 'no error'; any other rejection fails the test. */
export async function keyErrorCodeAsync(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (e) {
    assert.ok(e instanceof KeyError, `expected KeyError, got ${(e as Error).stack}`);
    return e.code;
  }
  return 'no error';
}
