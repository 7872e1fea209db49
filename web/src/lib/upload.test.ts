import { describe, expect, it } from "vitest";
import { buildUploadForm, storageErrorMessage } from "./upload";

describe("presigned POST uploads", () => {
  it("sends the policy fields first and the file last", () => {
    const form = buildUploadForm(
      { url: "http://s3/bucket", fields: { key: "users/x/docs/y", policy: "p", "x-amz-signature": "s" } },
      new Blob(["%PDF-1.7"], { type: "application/pdf" }),
      "rabies.pdf",
    );
    const names = [...form.keys()];
    expect(names).toEqual(["key", "policy", "x-amz-signature", "file"]);
    expect((form.get("file") as File).name).toBe("rabies.pdf");
  });
  it("explains storage refusals", () => {
    const tooBig = storageErrorMessage(400, "<Error><Code>EntityTooLarge</Code></Error>");
    expect(tooBig.retryable).toBe(false);
    expect(tooBig.message).toMatch(/larger/);
    const expired = storageErrorMessage(403, "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
    expect(expired.retryable).toBe(true);
    expect(storageErrorMessage(0, "").message).toMatch(/interrupted/);
    expect(storageErrorMessage(503, "").retryable).toBe(true);
  });
});
