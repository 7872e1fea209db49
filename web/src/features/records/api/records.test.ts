import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setSession } from "@/lib/session";
import { UploadError } from "@/lib/upload";
import { RecordUpload } from "./records";

const upload = vi.hoisted(() => ({ uploadToStorage: vi.fn() }));
vi.mock("@/lib/upload", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/upload")>()),
  uploadToStorage: upload.uploadToStorage,
}));

const created = (id: string) => ({
  doc: { id, state: "pending" },
  upload: { url: "http://s3/bucket", fields: { key: "k" }, expires_in: 300 },
});

describe("adding a record", () => {
  const calls: string[] = [];
  beforeEach(() => {
    calls.length = 0;
    upload.uploadToStorage.mockReset();
    setSession({ accessToken: "a", idToken: "i", refreshToken: "r", expiresAt: Date.now() + 3_600_000, sub: "o", email: null });
    let n = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn((url: string, init?: RequestInit) => {
        calls.push(`${init?.method ?? "GET"} ${url}`);
        if (url.endsWith("/docs") && init?.method === "POST") {
          n += 1;
          return Promise.resolve(new Response(JSON.stringify(created(`doc-${n}`)), { status: 201 }));
        }
        if (url.endsWith("/complete")) {
          return Promise.resolve(new Response(JSON.stringify({ id: url.split("/")[3], state: "ready" }), { status: 200 }));
        }
        return Promise.resolve(new Response(null, { status: 204 }));
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    setSession(null);
  });

  const input = {
    petId: "rex",
    label: "Rabies",
    expiresOn: "2027-11-27",
    givenOn: null,
    file: new Blob(["%PDF-1.7"], { type: "application/pdf" }),
    filename: "rabies.pdf",
    contentType: "application/pdf" as const,
  };

  it("goes create → upload straight to storage → complete, reporting progress phases", async () => {
    upload.uploadToStorage.mockImplementation((_p, _f, _n, o: { onProgress?: (f: number) => void }) => {
      o.onProgress?.(0.5);
      return Promise.resolve();
    });
    const phases: string[] = [];
    const progress: number[] = [];
    const doc = await new RecordUpload(input).run((p) => phases.push(p), (f) => progress.push(f));
    expect(doc.id).toBe("doc-1");
    expect(phases).toEqual(["creating", "uploading", "checking", "done"]);
    expect(progress).toEqual([0.5]);
    expect(calls).toEqual(["POST /api/pets/rex/docs", "POST /api/docs/doc-1/complete"]);
  });

  it("retries an interrupted upload with the same record and permission", async () => {
    upload.uploadToStorage
      .mockRejectedValueOnce(new UploadError("interrupted", 0, true))
      .mockResolvedValueOnce(undefined);
    const attempt = new RecordUpload(input);
    await expect(attempt.run(() => undefined, () => undefined)).rejects.toBeInstanceOf(UploadError);
    await attempt.run(() => undefined, () => undefined);
    expect(calls.filter((c) => c.endsWith("/docs"))).toHaveLength(1);
    expect(upload.uploadToStorage).toHaveBeenCalledTimes(2);
  });

  it("replaces a lapsed upload permission: the pending record is removed and made anew", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    upload.uploadToStorage
      .mockRejectedValueOnce(new UploadError("interrupted", 0, true))
      .mockResolvedValueOnce(undefined);
    const attempt = new RecordUpload(input);
    await expect(attempt.run(() => undefined, () => undefined)).rejects.toBeInstanceOf(UploadError);
    vi.setSystemTime(Date.now() + 6 * 60_000);
    const doc = await attempt.run(() => undefined, () => undefined);
    expect(doc.id).toBe("doc-2");
    expect(calls).toContain("DELETE /api/docs/doc-1");
  });
});
