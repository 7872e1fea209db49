import { describe, expect, it } from "vitest";
import { cognitoTimestamp, G, modPow, N, padHex, poolName, startSrp } from "./srp";
import vector from "./srp.vector.json";

describe("SRP (Cognito USER_SRP_AUTH)", () => {
  it("pads hex like Cognito clients", () => {
    expect(padHex(0x7fn)).toBe("7f");
    expect(padHex(0x80n)).toBe("0080");
    expect(padHex(0xabcn)).toBe("0abc");
  });

  it("formats TIMESTAMP with an unpadded day, in UTC", () => {
    expect(cognitoTimestamp(new Date(Date.UTC(2026, 10, 7, 11, 18, 24)))).toBe(
      "Sat Nov 7 11:18:24 UTC 2026",
    );
    expect(cognitoTimestamp(new Date(Date.UTC(2026, 0, 15, 3, 4, 5)))).toBe("Thu Jan 15 03:04:05 UTC 2026");
  });

  it("takes the pool name from the pool id", () => {
    expect(poolName("us-east-1_AbC123")).toBe("AbC123");
    expect(() => poolName("nounderscore")).toThrow();
  });

  it("computes A = g^a mod N", () => {
    const client = startSrp(BigInt(`0x${vector.secret_a_hex}`));
    expect(client.srpA).toBe(vector.srp_a_hex);
    expect(modPow(G, 5n, N)).toBe(32n);
  });

  it("signs the password claim exactly as the auth service verifies it", async () => {
    // srp.vector.json is produced by the auth service's own SRP code (make_srp_vector.py).
    const client = startSrp(BigInt(`0x${vector.secret_a_hex}`));
    const claim = await client.answer(
      {
        poolName: poolName(vector.user_pool_id),
        userIdForSrp: vector.user_id_for_srp,
        password: vector.password,
        saltHex: vector.salt_hex,
        srpBHex: vector.srp_b_hex,
        secretBlock: vector.secret_block,
      },
      new Date(vector.moment),
    );
    expect(claim.timestamp).toBe(vector.timestamp);
    expect(claim.signature).toBe(vector.signature);
  });

  it("produces a different claim for a wrong password", async () => {
    const client = startSrp(BigInt(`0x${vector.secret_a_hex}`));
    const claim = await client.answer(
      {
        poolName: poolName(vector.user_pool_id),
        userIdForSrp: vector.user_id_for_srp,
        password: `${vector.password}x`,
        saltHex: vector.salt_hex,
        srpBHex: vector.srp_b_hex,
        secretBlock: vector.secret_block,
      },
      new Date(vector.moment),
    );
    expect(claim.signature).not.toBe(vector.signature);
  });

  it("refuses a server B that is a multiple of N", async () => {
    const client = startSrp();
    await expect(
      client.answer({
        poolName: "P",
        userIdForSrp: "u",
        password: "p",
        saltHex: "01",
        srpBHex: N.toString(16),
        secretBlock: "AA==",
      }),
    ).rejects.toThrow(/B/);
  });
});
