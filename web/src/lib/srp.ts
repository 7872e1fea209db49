/** The browser side of Amazon Cognito's USER_SRP_AUTH (an SRP-6a variant), on BigInt and
 *  WebCrypto: the password never leaves the browser, only a proof that we know it.
 *
 *  Byte-for-byte what Cognito clients compute (amazon-cognito-identity-js AuthenticationHelper,
 *  pycognito aws_srp), so the same code logs in to the local provider and to a real User Pool:
 *  every integer is hashed as its padded hex (even length, 00 prefix when the high bit is set);
 *  x = H(PAD(salt) | hex(H(pool | userId | ":" | password))); key = HKDF(PAD(S), salt = PAD(u),
 *  "Caldera Derived Key")[0..16]; claim = HMAC(key, pool | userId | SECRET_BLOCK | TIMESTAMP).
 *  A vector made by the server's own Python implementation checks this in srp.test.ts. */

const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
  "29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
  "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
  "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
  "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
  "DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
  "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
  "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
  "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

export const N = BigInt(`0x${N_HEX}`);
export const G = 2n;
const encoder = new TextEncoder();

export function padHex(value: bigint): string {
  if (value < 0n) throw new Error("padHex: negative value");
  const hex = value.toString(16);
  if (hex.length % 2) return `0${hex}`;
  return "89abcdef".includes(hex[0]!) ? `00${hex}` : hex;
}

export function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (hex.length % 2) throw new Error("hexToBytes: odd length");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/** Cognito's hexHash: SHA-256 of the bytes a hex string spells, as hex. */
async function hexHash(hex: string): Promise<string> {
  return bytesToHex(await sha256(hexToBytes(hex)));
}

async function hmac(key: Uint8Array<ArrayBuffer>, message: Uint8Array<ArrayBuffer>) {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, message));
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function randomBigInt(bytes: number): bigint {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return BigInt(`0x${bytesToHex(buf)}`);
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Cognito's TIMESTAMP: "Thu Nov 7 11:18:24 UTC 2026" (UTC, day not zero-padded). */
export function cognitoTimestamp(now: Date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${WEEKDAYS[now.getUTCDay()]} ${MONTHS[now.getUTCMonth()]} ${now.getUTCDate()} ` +
    `${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())} ` +
    `UTC ${now.getUTCFullYear()}`
  );
}

/** The part of a pool id ("us-east-1_AbC123") that clients mix into x and the claim. */
export function poolName(userPoolId: string): string {
  const name = userPoolId.split("_")[1];
  if (!name) throw new Error(`unexpected user pool id: ${userPoolId}`);
  return name;
}

export interface SrpClient {
  /** SRP_A for /auth/login/start. */
  srpA: string;
  /** The PASSWORD_CLAIM_SIGNATURE for the server's PASSWORD_VERIFIER challenge. */
  answer(challenge: ChallengeInput, now?: Date): Promise<{ signature: string; timestamp: string }>;
}

export interface ChallengeInput {
  poolName: string;
  userIdForSrp: string;
  password: string;
  saltHex: string;
  srpBHex: string;
  secretBlock: string;
}

/** Start a login: a fresh secret a (or the given one, for tests) and A = g^a mod N. */
export function startSrp(secretA?: bigint): SrpClient {
  let a = secretA ?? 0n;
  let A = 0n;
  while (A === 0n) {
    if (!secretA) a = randomBigInt(128);
    A = modPow(G, a, N);
    if (A === 0n && secretA) throw new Error("invalid secret a");
  }
  return {
    srpA: A.toString(16),
    async answer(ch, now = new Date()) {
      const B = BigInt(`0x${ch.srpBHex}`);
      if (B % N === 0n) throw new Error("invalid server value B");
      const u = BigInt(`0x${await hexHash(padHex(A) + padHex(B))}`);
      if (u === 0n) throw new Error("invalid server value B (u = 0)");
      const k = BigInt(`0x${await hexHash(padHex(N) + padHex(G))}`);
      const inner = bytesToHex(
        await sha256(encoder.encode(`${ch.poolName}${ch.userIdForSrp}:${ch.password}`)),
      );
      const x = BigInt(`0x${await hexHash(padHex(BigInt(`0x${ch.saltHex}`)) + inner)}`);
      const base = (((B - k * modPow(G, x, N)) % N) + N) % N;
      const S = modPow(base, a + u * x, N);
      const prk = await hmac(hexToBytes(padHex(u)), hexToBytes(padHex(S)));
      const key = (
        await hmac(prk, concat(encoder.encode("Caldera Derived Key"), new Uint8Array([1])))
      ).slice(0, 16);
      const timestamp = cognitoTimestamp(now);
      const message = concat(
        encoder.encode(ch.poolName),
        encoder.encode(ch.userIdForSrp),
        base64ToBytes(ch.secretBlock),
        encoder.encode(timestamp),
      );
      return { signature: bytesToBase64(await hmac(key, message)), timestamp };
    },
  };
}
