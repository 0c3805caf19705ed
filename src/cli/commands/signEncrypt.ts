/**
 * `smime sign-encrypt IN (--cert C --key K | --p12 P) --to CERT... -o OUT`: signs and encrypts, by default in
 * that order (RFC 8551 §3.7); --order encrypt-sign or triple (sign, encrypt, sign). The signer's certificate
 * is a recipient too unless --no-self. Exit codes as `smime sign` and `smime encrypt`.
 */
import { signAndEncrypt, type WrapOrder } from '../../core';
import { UsageError, parse } from '../args';
import { cipherFrom, RECIPIENT_OPTIONS, recipientsResolver } from './encrypt';
import { once, runWrites, WRITE_OPTIONS } from './output';
import { digestFrom, IDENTITY_OPTIONS, signerFrom, SIGNING_OPTIONS } from './sign';

const ORDERS: readonly string[] = ['sign-encrypt', 'encrypt-sign', 'triple'];

function orderFrom(value: string | undefined): WrapOrder {
  if (value === undefined) return 'sign-encrypt';
  if (!ORDERS.includes(value)) throw new UsageError(`--order must be one of ${ORDERS.join(', ')}`);
  return value as WrapOrder;
}

export async function runSignEncrypt(argv: string[]): Promise<number> {
  const options = { ...IDENTITY_OPTIONS, ...SIGNING_OPTIONS, ...RECIPIENT_OPTIONS, ...WRITE_OPTIONS, order: { type: 'string' } } as const;
  const { values, positionals } = parse(argv, options, { min: 1, max: Infinity, names: 'IN' });
  const digest = digestFrom(values.digest);
  const cipher = cipherFrom(values.cipher);
  const order = orderFrom(values.order);
  const loadSigner = once(() => signerFrom(values));
  const recipientsOf = recipientsResolver(values);
  return runWrites('sign-encrypt', values, positionals, `signed and encrypted (${order})`, async (input) => {
    const signer = await loadSigner();
    const resolved = await recipientsOf(input);
    const result = signAndEncrypt({
      input,
      signer,
      recipients: resolved.certificates,
      self: signer.certificate,
      includeSelf: !values['no-self'],
      order,
      detached: !values.opaque,
      digest,
      pss: values.pss ?? false,
      cipher,
      oaep: values.oaep ?? false,
      protectHeaders: values['protect-headers'] ?? false,
      force: values.force ?? false,
    });
    // Added in place: a copy of the result ({ ...result }) would read `message`, joining it in memory.
    result.warnings.unshift(...resolved.warnings);
    return result;
  });
}
