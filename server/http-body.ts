/**
 * Request bodies and where they come from, shared by every route (server/app.ts, access-routes.ts,
 * governors-routes.ts), so each body is read under a limit the same way and a dashboard change is
 * checked for its origin the same way.
 */
import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * Read a request body up to `limit` bytes. A declared Content-Length over the limit is refused
 * before reading anything; a chunked body is cut off as soon as it passes the limit.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.resolve({ ok: false, reason: 'too_large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ ok: false, reason: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('aborted', () => finish({ ok: false, reason: 'aborted' }));
  });
}

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Whether a browser says the request comes from the dashboard's own origin. No Origin header
 * (not a browser, or a same-origin GET) passes; "null" (a sandboxed frame) or junk does not.
 * On top of the SameSite=Strict session cookie and JSON-only bodies (a cross-site form cannot
 * send application/json without a preflight this server never allows).
 */
export function fromSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export type JsonBody =
  | { ok: true; value: unknown }
  | {
      ok: false;
      status: 400 | 413 | 415;
      error: 'unsupported_media_type' | 'too_large' | 'invalid_json' | 'aborted';
      message: string;
    };

/** A JSON body under `limit` bytes, or what was wrong with it, in words to send back. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  if (mediaType(req) !== 'application/json') {
    return {
      ok: false,
      status: 415,
      error: 'unsupported_media_type',
      message: 'Send it as application/json.',
    };
  }
  const body = await readBody(req, limit);
  if (!body.ok) {
    return body.reason === 'aborted'
      ? { ok: false, status: 400, error: 'aborted', message: 'The body did not arrive.' }
      : {
          ok: false,
          status: 413,
          error: 'too_large',
          message: `The body may be at most ${sizeText(limit)}.`,
        };
  }
  try {
    return { ok: true, value: JSON.parse(body.body.toString('utf8')) };
  } catch {
    return {
      ok: false,
      status: 400,
      error: 'invalid_json',
      message: 'The body is not valid JSON.',
    };
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Math.round(bytes / 1024 / 1024)} MB`
    : `${Math.round(bytes / 1024)} KB`;
}
