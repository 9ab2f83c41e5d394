/**
 * Admin login for the dashboard. One shared admin password (STEWARD_ADMIN_PASSWORD), compared
 * in constant time; sessions are random ids whose SHA-256 is stored in the database (so any
 * instance behind a load balancer recognises them and logout works everywhere), sent as an
 * HttpOnly, SameSite=Strict cookie. Report tokens are compared in constant time too.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'steward_session';
export const SESSION_HOURS = 8;

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time equality of two secrets of any length (hashing first equalises lengths). */
export function secretEquals(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

/** SHA-256 of each accepted token, worked out once (the tokens come from configuration). */
const acceptedDigests = new Map<string, Buffer>();

/** The accepted token that matches, checked against every token so timing says nothing. */
export function matchToken(given: string, tokens: readonly string[]): string | null {
  const digest = sha256(given);
  let match: string | null = null;
  for (const t of tokens) {
    const expected = acceptedDigests.get(t) ?? sha256(t);
    acceptedDigests.set(t, expected);
    if (timingSafeEqual(digest, expected)) match = t;
  }
  return match;
}

/** Short, stable, non-secret name of a token for the batches table and logs. */
export function tokenId(token: string): string {
  return sha256(token).toString('hex').slice(0, 12);
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer[ ]+([\x21-\x7e]+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionHash(id: string): string {
  return sha256(id).toString('hex');
}

export function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${
    SESSION_HOURS * 3600
  }${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
