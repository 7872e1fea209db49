import { describe, expect, it } from "vitest";
import { checkPhotoFile, checkRecordFile, formatBytes, recordContentType, safeFilename } from "./files";

const MB = 1024 * 1024;

describe("record files are checked before upload", () => {
  it("knows the types, HEIC from its name when the browser gives no type", () => {
    expect(recordContentType({ name: "x.pdf", type: "application/pdf" })).toBe("application/pdf");
    expect(recordContentType({ name: "IMG_0001.HEIC", type: "" })).toBe("image/heic");
    expect(recordContentType({ name: "a.jpg", type: "image/pjpeg" })).toBe("image/jpeg");
    expect(recordContentType({ name: "notes.docx", type: "application/msword" })).toBeNull();
  });
  it("rejects a wrong type, an empty file and one over the limit, with a human message", () => {
    expect(checkRecordFile({ name: "a.docx", type: "application/msword", size: 10 }, 20 * MB)?.kind).toBe("type");
    expect(checkRecordFile({ name: "a.pdf", type: "application/pdf", size: 0 }, 20 * MB)?.kind).toBe("empty");
    const big = checkRecordFile({ name: "a.pdf", type: "application/pdf", size: 21 * MB }, 20 * MB);
    expect(big?.kind).toBe("size");
    expect(big?.message).toContain("21 MB");
    expect(checkRecordFile({ name: "a.pdf", type: "application/pdf", size: 20 * MB }, 20 * MB)).toBeNull();
  });
  it("accepts only images as pet photos", () => {
    expect(checkPhotoFile({ name: "a.pdf", type: "application/pdf", size: 5 })?.kind).toBe("type");
    expect(checkPhotoFile({ name: "a.png", type: "image/png", size: 5 })).toBeNull();
  });
  it("makes file names the API accepts", () => {
    expect(safeFilename("../../etc/passwd")).toBe(".._.._etc_passwd");
    expect(safeFilename("..")).toBe("certificate");
    expect(safeFilename(`${"a".repeat(300)}.pdf`)).toHaveLength(255);
    expect(safeFilename(`${"a".repeat(300)}.pdf`).endsWith(".pdf")).toBe(true);
  });
  it("formats sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2 KB");
    expect(formatBytes(20 * MB)).toBe("20 MB");
  });
});
