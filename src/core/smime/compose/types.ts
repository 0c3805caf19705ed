/**
 * Shared shapes of the write path: what was changed before signing or encrypting (the preflight), what the
 * sender should know (warnings), and why an operation was refused. All plain JSON-able data.
 */

/** One change made to the content so that it survives transport byte for byte (RFC 8551 §3.1). */
export interface PreflightChange {
  /** Part path in the input ("1" the root, "1.2" its second child ...). */
  path: string;
  /** What was done, e.g. "Content-Transfer-Encoding 8bit -> quoted-printable". */
  change: string;
  /** Why, with the clause it comes from. */
  reason: string;
}

export type ComposeWarningCode =
  | 'bcc-present'
  | 'bare-lf'
  | 'long-header-line'
  | 'header-8bit'
  | 'from-line'
  | 'trailing-whitespace'
  | 'charset-unknown'
  | 'unknown-transfer-encoding'
  | 'mime-structure'
  | 'sender-mismatch'
  | 'date-mismatch'
  | 'no-from'
  | 'forced'
  | 'recipient-usage'
  | 'recipient-address'
  | 'recipient-not-covered'
  | 'recipient-expiring'
  | 'limited-readers'
  | 'no-self-copy';

export interface ComposeWarning {
  code: ComposeWarningCode;
  message: string;
  /** Part path, when the warning is about one part. */
  path?: string;
}

export type RefusalCode =
  | 'key-mismatch'
  | 'cert-expired'
  | 'cert-not-yet-valid'
  | 'key-usage'
  | 'ext-key-usage'
  | 'recipient-cert-missing'
  | 'recipient-expired'
  | 'no-recipients'
  | 'cms-build-failed';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** The operation was refused before anything was written; `problems` names every reason. */
export class ComposeError extends Error {
  readonly code: RefusalCode;

  constructor(readonly problems: Refusal[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'ComposeError';
    this.code = problems[0]?.code ?? 'cms-build-failed';
  }
}

/** What every write operation returns. */
export interface ComposeResult {
  /** The complete message (outer headers, MIME-Version, the S/MIME entity), CRLF line endings; joined on first use. */
  readonly message: Buffer;
  /** The same message as consecutive buffers, to be written without joining (views of the input where unchanged). */
  readonly parts: readonly Buffer[];
  preflight: PreflightChange[];
  warnings: ComposeWarning[];
}

/**
 * A ComposeResult over `parts`; `message` joins them only when read (a 10 MB message is not copied to be written).
 * Copying the object with spread reads it too, so callers change `warnings` in place instead.
 */
export function composeResult(parts: readonly Buffer[], preflight: PreflightChange[], warnings: ComposeWarning[]): ComposeResult {
  let joined: Buffer | undefined;
  return {
    get message() {
      return (joined ??= parts.length === 1 ? parts[0] : Buffer.concat(parts));
    },
    parts,
    preflight,
    warnings,
  };
}
