/**
 * Admin passwords, hashed with scrypt from node:crypto: memory-hard (N=2^17, r=8 → 128 MiB per
 * hash, the OWASP password-storage minimum for scrypt), built into Node, so no native add-on to
 * compile on a school's server. argon2id would be the first choice where a maintained binding
 * installs everywhere; scrypt at these parameters resists GPU guessing comparably and needs
 * nothing extra. Parameters are stored in each hash, so they can be raised later: a hash made
 * with weaker ones is re-made at the next sign-in (`needsRehash`).
 *
 * Stored form: scrypt$<log2 N>$<r>$<p>$<salt base64url>$<hash base64url>
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** log2 of scrypt's N; STEWARD_PASSWORD_COST (server/config.ts) may change it. */
let LOG_N = 17;
// A fixed hash to check against when the account does not exist, so the answer takes as long
// as for a real account (no telling which emails have accounts by timing).
let decoy: Promise<string> | null = null;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
/** Smallest password an admin may set: a passphrase, not a PIN. */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Sets the cost of new hashes (log2 N, 14–20). Lower than 17 only for tests on a busy machine
 * or a very small server; existing hashes keep their own cost until the next sign-in re-makes them.
 */
export function setPasswordCost(logN: number): void {
  if (!Number.isInteger(logN) || logN < 14 || logN > 20) {
    throw new Error(`the password cost must be a whole number from 14 to 20 (it is ${logN})`);
  }
  LOG_N = logN;
  decoy = null;
}

function derive(password: string, salt: Buffer, logN: number, r: number, p: number) {
  const options: ScryptOptions = {
    N: 2 ** logN,
    r,
    p,
    // Node's default ceiling is 32 MiB; 128·N·r bytes are needed, plus a margin.
    maxmem: 128 * 2 ** logN * r * 2,
  };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/**
 * Hashes run one at a time: each takes 128 MiB and a few hundred milliseconds of a core, and a
 * burst of sign-ins must not take the memory or the threads that report ingest needs.
 */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => {});
  return run;
}

export function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return oneAtATime(async () => {
    const key = await derive(password, salt, LOG_N, R, P);
    return `scrypt$${LOG_N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  });
}

/** True when the password matches the stored hash; false for null (no password set) or junk. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$');
  if (!stored || parts?.length !== 6 || parts[0] !== 'scrypt') {
    decoy ??= hashPassword('decoy password for unknown accounts');
    await verifyPassword(password, await decoy);
    return false;
  }
  const [, logN, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const nums = [Number(logN), Number(r), Number(p)];
  if (nums.some((n) => !Number.isInteger(n) || n < 1 || n > 24) || expected.length !== KEY_BYTES) {
    return false;
  }
  const key = await oneAtATime(() =>
    derive(password, Buffer.from(salt, 'base64url'), nums[0]!, nums[1]!, nums[2]!),
  );
  return timingSafeEqual(key, expected);
}

export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`scrypt$${LOG_N}$${R}$${P}$`);
}

/** A plain-English problem with a new password, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `A password must be at least ${MIN_PASSWORD_LENGTH} characters; a few words make a good one.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `A password may be at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  return null;
}
