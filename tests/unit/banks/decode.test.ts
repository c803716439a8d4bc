import { readFileSync } from "node:fs";
import path from "node:path";
import { decodeBankBytes, firstInvalidUtf8 } from "../../../src/modules/banks/decode";

const fixture = (name: string) => readFileSync(path.join(__dirname, "../../fixtures/banks/encodings", name));
const text = (name: string) => {
  const decoded = decodeBankBytes(fixture(name));
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.text;
};

describe("decoding bank files", () => {
  it("reads UTF-8 with a byte-order mark, dropping the mark", () => {
    expect(text("utf8-bom.gift").startsWith("// Preguntas en español\n::capital::¿Cuál es la capital de Perú?")).toBe(
      true,
    );
  });

  it("reads UTF-16 LE and BE with a byte-order mark to the same text", () => {
    expect(text("utf16le.gift")).toBe(text("utf8-bom.gift"));
    expect(text("utf16be.gift")).toBe(text("utf8-bom.gift"));
  });

  it("refuses Windows-1252 as not UTF-8, naming the first bad line and byte, without U+FFFD", () => {
    const decoded = decodeBankBytes(fixture("windows-1252.gift"));
    expect(decoded).toEqual({
      ok: false,
      line: 1,
      column: 21,
      message: expect.stringMatching(/^not UTF-8: line 1 has the byte 0xF1 \(at byte offset 20 of the file\)/),
    });
    expect(JSON.stringify(decoded)).not.toContain("\uFFFD");
  });

  it.each([
    ["bank.gift.gz", "this is a gzip-compressed file; unpack it first"],
    ["bank.zip", "this is a zip archive"],
  ])("refuses %s as what it is", (name, message) => {
    expect(decodeBankBytes(fixture(name))).toMatchObject({
      ok: false,
      line: 1,
      column: 1,
      message: expect.stringContaining(message),
    });
  });

  it("refuses other binary content and UTF-16 without a byte-order mark", () => {
    expect(decodeBankBytes(new Uint8Array([1, 0, 2, 0, 0, 0, 7, 9, 0, 0]))).toMatchObject({
      ok: false,
      message: expect.stringContaining("UTF-16 without a byte-order mark"),
    });
    expect(decodeBankBytes(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0, 1, 2, 0, 0]))).toMatchObject({
      ok: false,
      message: expect.stringContaining("binary file"),
    });
  });

  it("finds where UTF-8 breaks: overlong forms, surrogates and truncated sequences", () => {
    expect(firstInvalidUtf8(Buffer.from("abc é ✓ 😀"))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x9c]))).toBe(1);
  });
});
