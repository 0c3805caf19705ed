/**
 * Charset decoding with the WHATWG Encoding Standard decoders built into Node (TextDecoder, full ICU): the label set
 * mail clients and browsers use, and no large JavaScript code tables to load at start-up. One deliberate
 * difference: ISO-8859-1 is decoded as ISO-8859-1 (each byte its code point), not as windows-1252 as the
 * Encoding Standard maps it, so a message shows exactly what its label says.
 */
const decoders = new Map<string, TextDecoder | null>();

/** Labels mail uses that the Encoding Standard spells differently. */
const ALIASES: Record<string, string> = {
  'utf8': 'utf-8',
  'cp65001': 'utf-8',
  'latin1': 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  'cp932': 'shift_jis',
  'ms932': 'shift_jis',
  'sjis': 'shift_jis',
  'x-sjis': 'shift_jis',
  'cp936': 'gbk',
  'ms936': 'gbk',
  'cp949': 'euc-kr',
  'ks_c_5601': 'euc-kr',
  'cp950': 'big5',
  'x-mac-roman': 'macintosh',
  'macroman': 'macintosh',
};

function decoderFor(label: string): TextDecoder | null {
  const key = label.trim().toLowerCase();
  let decoder = decoders.get(key);
  if (decoder === undefined) {
    const name = ALIASES[key] ?? key.replace(/^(cp|windows)[-_]?(\d{3,4})$/, 'windows-$2');
    try {
      decoder = new TextDecoder(name);
    } catch {
      decoder = null;
    }
    decoders.set(key, decoder);
  }
  return decoder;
}

/**
 * Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 (a known Node defect), so the 32 code points where the
 * two differ (0x80-0x9F) are mapped here; the five bytes windows-1252 leaves undefined keep their C1 code point.
 */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
}

const LATIN1_LABELS = new Set(['iso-8859-1', 'iso8859-1', 'iso_8859-1', 'latin1', 'latin-1', 'l1', 'iso-ir-100', 'cp819', 'ibm819']);

/** The canonical name of a charset label, or undefined when no decoder exists for it. */
export function charsetName(label: string): string | undefined {
  if (LATIN1_LABELS.has(label.trim().toLowerCase())) return 'iso-8859-1';
  return decoderFor(label)?.encoding;
}

/** Decodes bytes in a charset; undefined when the charset is unknown. Invalid sequences become U+FFFD. */
export function decodeCharset(bytes: Uint8Array, label: string): string | undefined {
  if (LATIN1_LABELS.has(label.trim().toLowerCase())) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const decoder = decoderFor(label);
  if (decoder?.encoding === 'windows-1252') return decodeWindows1252(bytes);
  return decoder ? decoder.decode(bytes) : undefined;
}
