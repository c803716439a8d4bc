// Bank files as text (pure). UTF-8, with or without a byte-order mark, and UTF-16 with one are
// decoded; anything else is refused with where it stops being UTF-8, never read with U+FFFD
// in place of what it says (a Windows-1252 "¿Cuál" must not become "�Cu�l"). Compressed
// and other binary files are named for what they are.

export type Decoded = { ok: true; text: string } | { ok: false; line: number; column: number; message: string };

/** Leading bytes of files people upload by mistake, and what to tell them. */
const SIGNATURES: { bytes: number[]; message: string }[] = [
  { bytes: [0x1f, 0x8b], message: "this is a gzip-compressed file; unpack it first" },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    message:
      "this is a zip archive (or a zipped document such as .docx, .xlsx or .mbz); unpack it, or save the questions as text, first",
  },
  { bytes: [0x50, 0x4b, 0x05, 0x06], message: "this is an empty zip archive; unpack it first" },
  { bytes: [0x42, 0x5a, 0x68], message: "this is a bzip2-compressed file; unpack it first" },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], message: "this is an xz-compressed file; unpack it first" },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], message: "this is a zstd-compressed file; unpack it first" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], message: "this is a 7-Zip archive; unpack it first" },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], message: "this is a RAR archive; unpack it first" },
  {
    bytes: [0x25, 0x50, 0x44, 0x46, 0x2d],
    message: "this is a PDF document, not a text file; save the questions as text",
  },
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    message: "this is a Microsoft Office document (.doc or .xls), not a text file; save the questions as text",
  },
  { bytes: [0x89, 0x50, 0x4e, 0x47], message: "this is a PNG image, not a text file" },
  { bytes: [0xff, 0xd8, 0xff], message: "this is a JPEG image, not a text file" },
  { bytes: [0x47, 0x49, 0x46, 0x38], message: "this is a GIF image, not a text file" },
];

const startsWith = (bytes: Uint8Array, prefix: number[]) =>
  bytes.length >= prefix.length && prefix.every((byte, k) => bytes[k] === byte);

const SAVE_AS = "save the file as UTF-8 (in most editors: Save As, encoding UTF-8)";

function refuse(message: string, line = 1, column = 1): Decoded {
  return { ok: false, line, column, message };
}

/** The first byte where `bytes` stops being UTF-8, or -1 (RFC 3629: no overlongs, surrogates, or code points past U+10FFFF). */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  for (let i = from; i < bytes.length;) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    const [low, high] =
      lead === 0xe0
        ? [0xa0, 0xbf]
        : lead === 0xed
          ? [0x80, 0x9f]
          : lead === 0xf0
            ? [0x90, 0xbf]
            : lead === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/** Line (1-based) and column in characters of a byte offset of UTF-8 text that is valid up to it. */
function lineAndColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) [line, lineStart] = [line + 1, i + 1];
  const column = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, column };
}

function decodeUtf16(bytes: Uint8Array, encoding: "utf-16le" | "utf-16be"): Decoded {
  if (bytes.length % 2 !== 0)
    return refuse(`the file starts with a UTF-16 byte-order mark but has an odd number of bytes; ${SAVE_AS}`);
  try {
    return { ok: true, text: new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2)) };
  } catch {
    return refuse(`the file starts with a UTF-16 byte-order mark but is not valid UTF-16; ${SAVE_AS}`);
  }
}

/** Decodes a bank file's bytes, or says why it cannot be read as text. */
export function decodeBankBytes(bytes: Uint8Array): Decoded {
  const signature = SIGNATURES.find((known) => startsWith(bytes, known.bytes));
  if (signature) return refuse(signature.message);
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff]))
    return refuse(`the file is UTF-32, which is not supported; ${SAVE_AS}`);
  if (startsWith(bytes, [0xff, 0xfe])) return decodeUtf16(bytes, "utf-16le");
  if (startsWith(bytes, [0xfe, 0xff])) return decodeUtf16(bytes, "utf-16be");
  const head = bytes.subarray(0, 8192);
  const nuls = head.reduce((count, byte) => count + (byte === 0 ? 1 : 0), 0);
  if (nuls > 0 && nuls * 8 >= head.length) {
    const everyOther = head.length >= 2 && (head[0] === 0 || head[1] === 0);
    return refuse(
      everyOther
        ? `the file looks like UTF-16 without a byte-order mark; ${SAVE_AS}`
        : "this is a binary file, not a text file; upload the questions as GIFT, Aiken, CSV, Moodle XML or YAML text",
    );
  }
  const start = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start)) };
  } catch {
    const offset = firstInvalidUtf8(bytes, start);
    const at = Math.max(0, offset);
    const { line, column } = lineAndColumn(bytes, at);
    const hex = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
    return refuse(
      `not UTF-8: line ${line} has the byte 0x${hex} (at byte offset ${at} of the file), which UTF-8 does not allow there; the file may be in Windows-1252 or Latin-1: ${SAVE_AS}`,
      line,
      column,
    );
  }
}
