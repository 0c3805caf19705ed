/**
 * Seeded mutations of mail messages: truncations, bit flips, boundary and header edits, and ASN.1 length
 * edits inside the base64 CMS bodies. Deterministic for a given seed, so a failure can be replayed.
 */
import { readNode, type Asn1Node } from '../../src/core/asn1/der';

export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for test-case generation. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, n: number) => Math.floor(r() * n);

function truncate(buf: Buffer, r: Rng): Buffer {
  return buf.subarray(0, int(r, buf.length));
}

function flipBits(buf: Buffer, r: Rng): Buffer {
  const out = Buffer.from(buf);
  const flips = 1 + int(r, 8);
  for (let i = 0; i < flips && out.length; i++) out[int(r, out.length)] ^= 1 << int(r, 8);
  return out;
}

function lines(buf: Buffer): string[] {
  return buf.toString('latin1').split(/(?<=\n)/);
}

function mutateBoundary(buf: Buffer, r: Rng): Buffer {
  const text = buf.toString('latin1');
  const boundaries = [...text.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((m) => m[1]);
  if (!boundaries.length) return flipBits(buf, r);
  const b = boundaries[int(r, boundaries.length)];
  const ls = lines(buf);
  const idx = ls.map((l, i) => (l.startsWith('--' + b) ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) return flipBits(buf, r);
  const at = idx[int(r, idx.length)];
  switch (int(r, 5)) {
    case 0:
      ls.splice(at, 1); // drop a delimiter
      break;
    case 1:
      ls.splice(at, 0, ls[at]); // duplicate it
      break;
    case 2:
      ls[at] = ls[at].replace('--' + b, '--' + b + 'x'); // near miss
      break;
    case 3:
      ls[at] = ls[at].replace(/--(\r?\n)$/, '$1'); // close becomes open
      break;
    default:
      ls.splice(at, 0, '--' + b + '--\r\n'); // early close
  }
  return Buffer.from(ls.join(''), 'latin1');
}

function mutateHeader(buf: Buffer, r: Rng): Buffer {
  const ls = lines(buf);
  const headerLines = ls.map((l, i) => (/^[A-Za-z-]+:/.test(l) ? i : -1)).filter((i) => i >= 0);
  if (!headerLines.length) return flipBits(buf, r);
  const at = headerLines[int(r, headerLines.length)];
  switch (int(r, 6)) {
    case 0:
      ls.splice(at, 0, ls[at]);
      break;
    case 1:
      ls[at] = ls[at].replace(':', '');
      break;
    case 2:
      ls[at] = ls[at].replace(/\r?\n$/, '') + ' \xff\xfe=?utf-8?B?####?=\r\n';
      break;
    case 3:
      ls.splice(at, 0, 'X-Long: ' + 'a'.repeat(50000 + int(r, 50000)) + '\r\n');
      break;
    case 4:
      ls[at] = ls[at].replace(/;/g, ';\r\n\t');
      break;
    default:
      ls.splice(at, 1);
  }
  return Buffer.from(ls.join(''), 'latin1');
}

/**
 * Characters whose long runs made header regexes rescan or backtrack (whitespace, comment and quote openers,
 * escapes, address and parameter punctuation, encoded-word starts, letters without "@", folds, 8-bit bytes).
 */
const RUN_CHARS = [' ', '\t', '(', ')', '"', '<', '>', '\\', '=', '?', '=?', ';', ',', ':', '@', '%', '*', "'", '.', 'a', '0', '\r\n ', '\r\n\t(', '\xff'];
/** Around the field analysis limit (8 KiB) and well past it; one in twenty runs is a whole megabyte. */
const RUN_LENGTHS = [100, 1000, 8191, 8192, 8193, 16_384, 100_000];
const RUN_FIELDS = ['From', 'Sender', 'To', 'Date', 'Subject', 'Content-Type', 'Content-Transfer-Encoding', 'Content-Disposition', 'Message-ID'];

function repeatRun(r: Rng): string {
  const ch = RUN_CHARS[int(r, RUN_CHARS.length)];
  const length = r() < 0.05 ? 1_000_000 : RUN_LENGTHS[int(r, RUN_LENGTHS.length)];
  return ch.repeat(Math.ceil(length / ch.length)).slice(0, length);
}

/** A long run of one character in a header field of any entity: as the value, after it, inside it, as a
 *  parameter value (bare or quoted), as a bare parameter, or as a new field of a name the analysis reads. */
export function longRun(buf: Buffer, r: Rng): Buffer {
  const ls = lines(buf);
  const headerLines = ls.map((l, i) => (/^[A-Za-z-]+:/.test(l) ? i : -1)).filter((i) => i >= 0);
  if (!headerLines.length) return flipBits(buf, r);
  const at = headerLines[int(r, headerLines.length)];
  const line = ls[at];
  const eol = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
  const colon = line.indexOf(':');
  const name = line.slice(0, colon);
  const value = line.slice(colon + 1, line.length - eol.length);
  const run = repeatRun(r);
  const cut = int(r, value.length + 1);
  const variants = [
    ` ${run}`,
    `${value}${run}`,
    `${value.slice(0, cut)}${run}${value.slice(cut)}`,
    `${value}; p=${run}`,
    `${value}; p="${run}"`,
    `${value}; ${run}`,
  ];
  const choice = int(r, variants.length + 1);
  if (choice === variants.length) ls.splice(at, 0, `${RUN_FIELDS[int(r, RUN_FIELDS.length)]}: ${run}${eol || '\r\n'}`);
  else ls[at] = `${name}:${variants[choice]}${eol}`;
  return Buffer.from(ls.join(''), 'latin1');
}

/** All TLV nodes of a DER tree, depth first (bounded). */
function nodes(root: Asn1Node, out: Asn1Node[] = []): Asn1Node[] {
  if (out.length > 4000) return out;
  out.push(root);
  if (root.constructed && root.depth < 20) {
    try {
      for (const c of root.children) nodes(c, out);
    } catch {
      /* a broken subtree is fine: mutate what we reached */
    }
  }
  return out;
}

function mutateDerLength(der: Buffer, r: Rng): Buffer {
  let all: Asn1Node[];
  try {
    all = nodes(readNode(der, 0));
  } catch {
    return flipBits(der, r);
  }
  const n = all[int(r, all.length)];
  const lenAt = n.start + 1;
  const out = Buffer.from(der);
  const choices = [0x00, 0x7f, 0x80, 0x81, 0x84, 0xff, (out[lenAt] + 1) & 0xff, (out[lenAt] - 1) & 0xff];
  out[lenAt] = choices[int(r, choices.length)];
  if (out[lenAt] === 0x84 && lenAt + 4 < out.length) out.fill(0xff, lenAt + 1, lenAt + 5);
  return out;
}

/** Finds base64 bodies (runs of base64 lines) and mutates the DER inside one of them. */
function mutateCms(buf: Buffer, r: Rng): Buffer {
  const text = buf.toString('latin1');
  const runs = [...text.matchAll(/(?:^[A-Za-z0-9+/=]{40,}\r?\n){3,}/gm)];
  if (!runs.length) return flipBits(buf, r);
  const run = runs[int(r, runs.length)];
  const der = Buffer.from(run[0], 'base64');
  const mutated = mutateDerLength(der, r).toString('base64').replace(/(.{76})/g, '$1\r\n');
  const start = run.index ?? 0;
  return Buffer.concat([buf.subarray(0, start), Buffer.from(mutated + '\r\n', 'latin1'), buf.subarray(start + run[0].length)]);
}

const MUTATORS = [truncate, flipBits, mutateBoundary, mutateHeader, mutateCms, mutateCms, longRun];

/** One mutated input; sometimes two mutations stacked. */
export function mutate(seed: Buffer, r: Rng): Buffer {
  let out = MUTATORS[int(r, MUTATORS.length)](seed, r);
  if (r() < 0.25) out = MUTATORS[int(r, MUTATORS.length)](out, r);
  return out;
}
