/**
 * One poll of the school's rule list: fetch → verify → parse → check against the list in force.
 * Pure: `fetch` and the clock are injected, nothing is stored, and it never throws. The service
 * worker calls it at start-up and on its alarm, applies an `updated` outcome atomically, and on an
 * `error` keeps the last good rules and shows the message (popup, options page, admin report).
 *
 * ```
 *   GET ruleListUrl (If-None-Match / If-Modified-Since)
 *     ├─ 304 ───────────────────────────────────────────────> unchanged
 *     ├─ network error / timeout / 4xx / 5xx / too big ─────> error
 *     └─ 200 → GET ruleListUrl + '.sig' (asked for while the list downloads; with the list
 *                │  itself when no validator is sent, as the answer cannot be 304 then)
 *                ├─ missing / unreadable ───────────────────> error
 *                └─ verify(bytes, sig, ruleListPublicKey) ──> error (bad signature)
 *                     └─ parse + validate ──────────────────> error (bad JSON, invalid, over limits)
 *                          ├─ expired ──────────────────────> error
 *                          ├─ version < in force ───────────> error (older version)
 *                          ├─ version = in force, same bytes > unchanged
 *                          ├─ version = in force, new bytes ─> error (publish with a new version)
 *                          └─ ─────────────────────────────────> updated
 * ```
 * The signature check and the reading run together (the check off the worker's thread); what is
 * read counts only once the signature checks out.
 */
import { isAllowedEndpoint } from '../policy.ts';
import {
  CHANGE_DOCUMENT_LIMITS,
  type ChangeDocument,
  changesUrlOf,
  parseChangeDocument,
} from './changes.ts';
import { parseRuleList, RULE_LIST_LIMITS, type RuleListDocument } from './document.ts';
import { asBuffer, importPublicKey, verifyRuleList } from './signature.ts';

/** What the extension remembers about the list in force (and the last response), if any. */
export type PreviousRuleList = {
  etag?: string;
  lastModified?: string;
  /** Version of the list in force. */
  version?: number;
  /** SHA-256 (hex) of the bytes of the list in force: tells a re-served list from a changed one. */
  sha256?: string;
};

export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal; cache?: RequestCache },
) => Promise<Response>;

export type CheckForUpdateInput = {
  url: string;
  /** base64 SPKI (the `ruleListPublicKey` policy value). */
  publicKey: string;
  previous?: PreviousRuleList;
  fetch: FetchLike;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** Per request; default 60 s (a 1M-domain list is ~30 MB). */
  timeoutMs?: number;
  maxBytes?: number;
  /**
   * The full list in force (its SHA-256 and version) when a change document may be used: when the
   * list has changed, `<url>.changes` and its signature are asked for while the list downloads,
   * and a change document from exactly this list stops the download (lib/rule-list/changes.ts).
   */
  changesSince?: { sha256: string; version: number };
  /**
   * Lists older than this version are refused even with no `previous` (the stored list could not
   * be read, so the version recorded as in force is the only guard against a replayed list); the
   * same version is taken, as it is not known to be in force.
   */
  minimumVersion?: number;
  /**
   * Called once the list and its signature are in, as the reading starts (the signature still
   * being checked): the caller may start work that does not depend on the list meanwhile.
   */
  beforeReading?: () => void;
  /**
   * Called once the list's request is out: the thread is idle while the browser's network service
   * downloads it. `over()` turns true once the download has ended (the list's last byte, a 304, an
   * error): the reading, if any, then starts, and work meant for the wait should stop.
   */
  whileDownloading?: (over: () => boolean) => void;
};

export type RuleListErrorCode =
  | 'not-configured'
  | 'insecure-url'
  | 'offline'
  | 'timeout'
  | 'http-error'
  | 'too-large'
  | 'signature-missing'
  | 'bad-signature'
  | 'bad-json'
  | 'invalid'
  | 'expired'
  | 'older-version'
  | 'same-version-changed';

export type RuleListError = {
  code: RuleListErrorCode;
  /** Plain English, for the popup, the options page and the admin report. */
  message: string;
  /** HTTP status, for `http-error` and `signature-missing`. */
  status?: number;
  /** Every validation problem, for `invalid` (first 20). */
  details?: string[];
};

export type UpdateOutcome =
  | { kind: 'unchanged'; checkedAt: number; version?: number }
  | {
      kind: 'updated';
      checkedAt: number;
      document: RuleListDocument;
      /** The exact bytes and signature, to store as the last good list and re-verify at start-up. */
      bytes: Uint8Array;
      signature: string;
      sha256: string;
      etag?: string;
      lastModified?: string;
      entries: number;
      /** Download (list and signature), then signature, hash and reading together. */
      timings: {
        fetchMs: number;
        checkMs: number;
        parseMs?: number;
        /**
         * Within checkMs, from its start: when the browser's signature verdict and the SHA-256 of
         * the bytes reached this thread. Both later than the reading means the check waited.
         */
        verifyMs?: number;
        hashMs?: number;
        /**
         * Within fetchMs, from the check's start: the list's answer (headers), its last byte, the
         * signature file in.
         */
        headersMs?: number;
        bodyMs?: number;
        signatureMs?: number;
      };
    }
  | {
      /** A signed change document from the list in force: apply it; fetch the full list later. */
      kind: 'changes';
      checkedAt: number;
      document: ChangeDocument;
      bytes: Uint8Array;
      signature: string;
      timings: { fetchMs: number; checkMs: number; parseMs?: number };
    }
  | { kind: 'error'; checkedAt: number; error: RuleListError };

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_SIGNATURE_BYTES = 4_096;

/** HTTPS only; plain http only to this machine, for tests and local trials. */
export function isAllowedRuleListUrl(url: string): boolean {
  return isAllowedEndpoint(url);
}

/** The signature's address: `…/list.json` → `…/list.json.sig` (before any query string). */
export function signatureUrlOf(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname}.sig`;
  return parsed.toString();
}

export async function checkForUpdate(input: CheckForUpdateInput): Promise<UpdateOutcome> {
  const checkedAt = input.now();
  const error = (e: RuleListError): UpdateOutcome => ({ kind: 'error', checkedAt, error: e });
  try {
    return await check(input, checkedAt, error);
  } catch (unexpected) {
    // Nothing above should throw; if it does, the last good list must still stay in force.
    return error({
      code: 'invalid',
      message: `The rule list could not be checked: ${String(unexpected)}.`,
    });
  }
}

async function check(
  input: CheckForUpdateInput,
  checkedAt: number,
  error: (e: RuleListError) => UpdateOutcome,
): Promise<UpdateOutcome> {
  const startedAt = performance.now();
  const { url, previous = {} } = input;
  const maxBytes = input.maxBytes ?? RULE_LIST_LIMITS.maxBytes;
  if (!url || !input.publicKey) {
    return error({
      code: 'not-configured',
      message: 'A rule list needs both ruleListUrl and ruleListPublicKey in the policy.',
    });
  }
  if (!isAllowedRuleListUrl(url)) {
    return error({
      code: 'insecure-url',
      message: `The rule list address "${url}" is not an https:// address (plain http is allowed only for localhost).`,
    });
  }

  // Imported while the list downloads, so the signature check can start the moment the bytes
  // are here (below). A key that will not import is reported by verifyRuleList, from its text.
  const keyImport = importPublicKey(input.publicKey).catch(() => null);
  const headers: Record<string, string> = {};
  if (previous.etag) headers['If-None-Match'] = previous.etag;
  if (previous.lastModified) headers['If-Modified-Since'] = previous.lastModified;
  const sigUrl = signatureUrlOf(url);
  // The signature is asked for as soon as the list's answer says it changed (200), while the list
  // itself downloads: no extra request on an unchanged poll, no extra round trip on a change.
  let sigRequest: Promise<Fetched> | undefined;
  const askForSignature = () =>
    (sigRequest ??= request(input, sigUrl, {}, MAX_SIGNATURE_BYTES, 'signature'));
  // A change document is asked for at the same moment, when one may be used: if it is from the
  // list in force, the list's download stops there.
  let changesRequest: Promise<ChangesChecked> | undefined;
  let changed: () => void = () => {};
  const listChanged = new Promise<void>((resolve) => {
    changed = resolve;
  });
  const listAbort = new AbortController();
  let headersAt = Number.NaN;
  let bodyAt = Number.NaN;
  const listRequest = request(
    input,
    url,
    headers,
    maxBytes,
    'rule list',
    () => {
      headersAt = performance.now();
      askForSignature();
      if (input.changesSince) changesRequest ??= fetchChanges(input, input.changesSince, checkedAt);
      changed();
    },
    listAbort.signal,
  ).then((fetched) => {
    bodyAt = performance.now();
    return fetched;
  });
  let downloaded = false;
  void listRequest.finally(() => {
    downloaded = true;
  });
  input.whileDownloading?.(() => downloaded);
  // With no validator to send, the answer cannot be 304: any 200 needs the signature, so it is
  // asked for with the list rather than once the list answers (its download then overlaps the
  // list's answer; on a loopback server it otherwise came in after the list's last byte).
  if (!previous.etag && !previous.lastModified) askForSignature();
  await Promise.race([listRequest, listChanged]);
  /** The change document's outcome when it may be used (the list's download then stops), or null. */
  const usable = (changes: ChangesChecked): UpdateOutcome | null => {
    if (!changes.ok) {
      if (changes.reason) console.warn(`[steward] change document not used: ${changes.reason}`);
      return null;
    }
    listAbort.abort();
    void listRequest.catch(() => undefined);
    return {
      kind: 'changes',
      checkedAt,
      document: changes.document,
      bytes: changes.bytes,
      signature: changes.signature,
      timings: {
        fetchMs: changes.fetchedAt - startedAt,
        checkMs: performance.now() - changes.fetchedAt,
      },
    };
  };
  if (!changesRequest) return checkList();
  // Whichever is in first: a change document's answer, or the list's last byte. With no change
  // document published (a 404 that, on the list's own server, comes in behind the list's last
  // byte), the list is read and checked while that answer comes, instead of after it. A usable
  // change document is still preferred, as before: nothing is applied until this returns.
  const first = await Promise.race([changesRequest, listRequest.then(() => null)]);
  if (first !== null) return usable(first) ?? checkList();
  const fromList = await checkList();
  return usable(await changesRequest) ?? fromList;

  async function checkList(): Promise<UpdateOutcome> {
    const list = await listRequest;
    if ('error' in list) return error(list.error);
    if (list.status === 304) return { kind: 'unchanged', checkedAt, ...versionOf(previous) };

    const sig = await askForSignature();
    if ('error' in sig) {
      const e = sig.error;
      if (e.code === 'http-error') {
        return error({
          code: 'signature-missing',
          status: e.status,
          message: `The rule list has no signature: ${sigUrl} answered HTTP ${e.status}. Publish the .sig file made by "steward rules sign" next to the list.`,
        });
      }
      if (e.code === 'too-large') {
        return error({
          code: 'bad-signature',
          message: `${sigUrl} is not a signature file (too large).`,
        });
      }
      return error(e);
    }
    const signatureAt = performance.now();
    const signature = new TextDecoder().decode(sig.bytes).trim();
    const key = (await keyImport) ?? input.publicKey;
    const fetchedAt = performance.now();

    // What the caller asks for meanwhile (the next reconcile's inputs: storage reads, each behind
    // a promise or two in wxt's storage) is sent before this thread is held by the work below, so
    // that the answers come in during it rather than being asked for after it (measured in
    // Chromium: the three storage reads went out only after the parse, 1-8 ms of waiting then).
    input.beforeReading?.();
    await Promise.resolve();
    // With the key already imported, the signature check and the hash are asked for before
    // JSON.parse starts (with only the key's text, the check would wait for the parse to finish).
    // In Chromium's service worker they are NOT off this thread: each call with the 1.8 MB of a
    // 100k list holds it about 2.2 ms and its promise is settled when it returns (session 30).
    // Nothing read is used, and no reason from it shown, unless the signature checks out: until
    // then the bytes come from anyone (reading them is safe: JSON.parse of at most maxBytes).
    const verifying = verifyRuleList(list.bytes, signature, key);
    const hashing = sha256Hex(list.bytes);
    let verifiedAt = Number.NaN;
    let hashedAt = Number.NaN;
    verifying.then(
      () => {
        verifiedAt = performance.now();
      },
      () => undefined,
    );
    hashing.then(
      () => {
        hashedAt = performance.now();
      },
      () => undefined,
    );
    const parsing = performance.now();
    const parsed = parseRuleList(list.bytes);
    const parseMs = performance.now() - parsing;
    const verified = await verifying;
    if (!verified.ok) return error({ code: 'bad-signature', message: verified.reason });
    const sha256 = await hashing;
    if (!parsed.ok) {
      return error({
        code: parsed.problem,
        message:
          parsed.problem === 'invalid'
            ? `The rule list is signed but not valid, so it was not applied: ${parsed.reason}`
            : parsed.reason,
        details: parsed.errors,
      });
    }
    const document = parsed.document;
    if (document.expiresAt !== undefined && Date.parse(document.expiresAt) <= checkedAt) {
      return error({
        code: 'expired',
        message: `The rule list (version ${document.version}) expired at ${document.expiresAt}. Publish a new list.`,
      });
    }
    if (input.minimumVersion !== undefined && document.version < input.minimumVersion) {
      return error({
        code: 'older-version',
        message: `The published rule list is version ${document.version}, older than version ${input.minimumVersion} recorded as in force; it was not applied (a replayed or rolled-back list).`,
      });
    }
    if (previous.version !== undefined) {
      if (document.version < previous.version) {
        return error({
          code: 'older-version',
          message: `The published rule list is version ${document.version}, older than version ${previous.version} already in force; it was not applied (a replayed or rolled-back list).`,
        });
      }
      if (document.version === previous.version) {
        // Same version: either the server does not do conditional requests (same bytes: nothing
        // new) or the publisher changed the list without raising its version.
        if (previous.sha256 === undefined || previous.sha256 === sha256) {
          return { kind: 'unchanged', checkedAt, version: previous.version };
        }
        return error({
          code: 'same-version-changed',
          message: `The published rule list changed but kept version ${document.version}; it was not applied. Publish changes with a higher version.`,
        });
      }
    }
    const outcome: UpdateOutcome = {
      kind: 'updated',
      checkedAt,
      document,
      bytes: list.bytes,
      signature,
      sha256,
      entries: parsed.entries,
      timings: {
        fetchMs: fetchedAt - startedAt,
        checkMs: performance.now() - fetchedAt,
        parseMs,
        verifyMs: verifiedAt - fetchedAt,
        hashMs: hashedAt - fetchedAt,
        headersMs: headersAt - startedAt,
        bodyMs: bodyAt - startedAt,
        signatureMs: signatureAt - startedAt,
      },
    };
    if (list.etag) outcome.etag = list.etag;
    if (list.lastModified) outcome.lastModified = list.lastModified;
    return outcome;
  }
}

type ChangesChecked =
  | { ok: true; document: ChangeDocument; bytes: Uint8Array; signature: string; fetchedAt: number }
  | { ok: false; reason: string | null };

/**
 * The change document next to the list, if there is one and it may be used: signed by the list's
 * key over its exact bytes, valid, from exactly the list in force, to a higher version, current.
 * Anything else (none published: reason null) leaves the full list to decide.
 */
async function fetchChanges(
  input: CheckForUpdateInput,
  since: { sha256: string; version: number },
  checkedAt: number,
): Promise<ChangesChecked> {
  const changesUrl = changesUrlOf(input.url);
  const [doc, sig] = await Promise.all([
    request(input, changesUrl, {}, CHANGE_DOCUMENT_LIMITS.maxBytes, 'change document'),
    request(input, signatureUrlOf(changesUrl), {}, MAX_SIGNATURE_BYTES, 'signature'),
  ]);
  if ('error' in doc) {
    return { ok: false, reason: doc.error.status === 404 ? null : doc.error.message };
  }
  if ('error' in sig) return { ok: false, reason: `its signature: ${sig.error.message}` };
  const fetchedAt = performance.now();
  const signature = new TextDecoder().decode(sig.bytes).trim();
  const verified = await verifyRuleList(doc.bytes, signature, input.publicKey);
  if (!verified.ok) return { ok: false, reason: `bad signature: ${verified.reason}` };
  const parsed = parseChangeDocument(doc.bytes);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const document = parsed.document;
  if (document.since !== since.sha256) {
    return {
      ok: false,
      reason: `it is from version ${document.sinceVersion}, not the list in force`,
    };
  }
  if (document.version <= since.version) {
    return {
      ok: false,
      reason: `version ${document.version} is not above ${since.version} in force`,
    };
  }
  if (document.expiresAt !== undefined && Date.parse(document.expiresAt) <= checkedAt) {
    return { ok: false, reason: `it expired at ${document.expiresAt}` };
  }
  return { ok: true, document, bytes: doc.bytes, signature, fetchedAt };
}

function versionOf(previous: PreviousRuleList): { version?: number } {
  return previous.version === undefined ? {} : { version: previous.version };
}

type Fetched =
  | { status: number; bytes: Uint8Array; etag?: string; lastModified?: string }
  | { error: RuleListError };

async function request(
  input: CheckForUpdateInput,
  url: string,
  headers: Record<string, string>,
  maxBytes: number,
  what: string,
  /** Called once the answer is a success, before its body is read. */
  onSuccess?: () => void,
  /** Stops the request (the caller no longer needs it). */
  stop?: AbortSignal,
): Promise<Fetched> {
  const controller = new AbortController();
  stop?.addEventListener('abort', () => controller.abort());
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    let response: Response;
    try {
      response = await input.fetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    } catch (error) {
      if (timedOut) return { error: timeoutError(what, url, timeoutMs) };
      return {
        error: {
          code: 'offline',
          message: `The ${what} could not be fetched from ${url} (${describeNetworkError(error)}). The browser may be offline or the server down.`,
        },
      };
    }
    if (response.url && !isAllowedRuleListUrl(response.url)) {
      return {
        error: {
          code: 'insecure-url',
          message: `The ${what} at ${url} redirected to "${response.url}", which is not https://.`,
        },
      };
    }
    if (response.status === 304) return { status: 304, bytes: new Uint8Array() };
    if (!response.ok) {
      return {
        error: {
          code: 'http-error',
          status: response.status,
          message: `The server answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for the ${what} at ${url}.`,
        },
      };
    }
    onSuccess?.();
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      return { error: tooLarge(what, declared, maxBytes) };
    }
    const body = await readLimited(response, maxBytes);
    if (body === 'too-large') return { error: tooLarge(what, undefined, maxBytes) };
    const fetched: Fetched = { status: response.status, bytes: body };
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    if (etag) fetched.etag = etag;
    if (lastModified) fetched.lastModified = lastModified;
    return fetched;
  } catch (error) {
    if (timedOut) return { error: timeoutError(what, url, timeoutMs) };
    return {
      error: {
        code: 'offline',
        message: `The ${what} download from ${url} broke off (${describeNetworkError(error)}).`,
      },
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a body, giving up as soon as it passes `maxBytes` (a hostile server may not say). */
async function readLimited(
  response: Response,
  maxBytes: number,
): Promise<Uint8Array | 'too-large'> {
  const reader = response.body?.getReader();
  if (!reader) {
    const whole = new Uint8Array(await response.arrayBuffer());
    return whole.byteLength > maxBytes ? 'too-large' : whole;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

function tooLarge(what: string, size: number | undefined, maxBytes: number): RuleListError {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    code: 'too-large',
    message: `The ${what} is ${size === undefined ? 'larger than' : `${mb(size)}, over`} the limit of ${mb(maxBytes)}; it was not applied.`,
  };
}

function timeoutError(what: string, url: string, ms: number): RuleListError {
  return {
    code: 'timeout',
    message: `The ${what} at ${url} did not arrive within ${Math.round(ms / 1000)} seconds.`,
  };
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code =
      cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? `${error.message}: ${code}` : error.message;
  }
  return String(error);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', asBuffer(bytes)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
