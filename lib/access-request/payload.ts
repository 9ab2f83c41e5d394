/**
 * The access-request contract (`steward.access-request/1`): what the block page's "Ask for
 * access" form sends to the school's admin server, and what the server answers when Steward asks
 * how its requests were decided. Shared by the service worker, the server and the tests.
 *
 * A request names the site (the host the worker found blocked: never a path or query, so no
 * browsing history leaves the browser beyond the one site staff chose to ask about), the category
 * the worker found, why (typed by the member of staff) and, only where the policy's
 * `reportIdentity` is "email", the signed-in school address.
 *
 * Pure module.
 */
import * as v from 'valibot';
import { normaliseDomain } from '../domains.ts';
import { issuePath } from '../validation.ts';

export const ACCESS_REQUEST_SCHEMA = 'steward.access-request/1';
/** Longest reason staff may type. */
export const MAX_REASON_LENGTH = 1000;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_TIMESTAMP =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;
const EMAIL = /^[^\s@<>"]{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,63}$/;

const uuid = v.pipe(
  v.string('expected a lowercase UUID v4'),
  v.regex(UUID_V4, 'expected a lowercase UUID v4'),
);

export const AccessRequestSchema = v.strictObject(
  {
    schema: v.literal(ACCESS_REQUEST_SCHEMA, `expected "${ACCESS_REQUEST_SCHEMA}"`),
    requestId: uuid,
    installationId: uuid,
    identity: v.optional(
      v.pipe(
        v.string('expected an email address'),
        v.maxLength(254, 'expected an email address of at most 254 characters'),
        v.regex(EMAIL, 'expected an email address'),
      ),
    ),
    createdAt: v.pipe(
      v.string('expected an ISO 8601 timestamp'),
      v.regex(ISO_TIMESTAMP, 'expected an ISO 8601 timestamp such as 2026-12-01T09:15:00Z'),
    ),
    site: v.pipe(
      v.string('expected a host name'),
      v.maxLength(253, 'expected a host name'),
      v.check(
        (s) => /^[a-z0-9._-]+$/.test(s) && normaliseDomain(s).ok,
        'expected a host name in lower case, such as www.example.com',
      ),
    ),
    category: v.pipe(
      v.string('expected a category id'),
      v.regex(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/, 'expected a category id'),
    ),
    reason: v.pipe(
      v.string('expected the reason as text'),
      v.transform((s) => s.trim()),
      v.minLength(1, 'say why you need the site'),
      v.maxLength(MAX_REASON_LENGTH, `expected at most ${MAX_REASON_LENGTH} characters`),
    ),
  },
  'expected an access request object',
);

export type AccessRequest = v.InferOutput<typeof AccessRequestSchema>;

export type ParseAccessRequestResult =
  | { ok: true; request: AccessRequest }
  | { ok: false; problems: { path: string; message: string }[] };

export function parseAccessRequest(input: unknown): ParseAccessRequestResult {
  const result = v.safeParse(AccessRequestSchema, input, { abortPipeEarly: true });
  if (result.success) return { ok: true, request: result.output };
  return {
    ok: false,
    problems: result.issues.slice(0, 20).map((issue) => {
      let message = issue.message;
      if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.path?.length) {
        message =
          issue.expected === 'never' ? 'is not part of the access-request contract' : 'is required';
      }
      return { path: issuePath(issue) || '(request)', message };
    }),
  };
}

/** How a request stands, as the server tells the browser that sent it. */
export const DECISIONS = ['pending', 'approved', 'declined', 'withdrawn'] as const;
export type Decision = (typeof DECISIONS)[number];

const OutcomeSchema = v.object({
  requestId: uuid,
  site: v.string(),
  status: v.picklist(DECISIONS),
  /** What was allowed: the site, a parent domain or a URL prefix (approved only). */
  entry: v.optional(v.nullable(v.string())),
  /** When the access ends (ISO), or null for good (approved only). */
  until: v.optional(v.nullable(v.string())),
  /** The admin's note to the member of staff. */
  note: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(1000)))),
  decidedAt: v.optional(v.nullable(v.string())),
  /** The rule-list version that carries the approval, once published. */
  listVersion: v.optional(v.nullable(v.number())),
});
export type RequestOutcome = v.InferOutput<typeof OutcomeSchema>;

export const OutcomesSchema = v.object({
  requests: v.pipe(v.array(OutcomeSchema), v.maxLength(200)),
});

/** The server's answer to "how were my requests decided?", or null if it is not that shape. */
export function parseOutcomes(input: unknown): RequestOutcome[] | null {
  const result = v.safeParse(OutcomesSchema, input);
  return result.success ? result.output.requests : null;
}

/**
 * Where requests go, from the policy: `accessRequest.serverUrl` if set, else with
 * `accessRequest.server: true` the admin server that receives reports (reportUrl's origin).
 * Requests are posted to `<origin>/v1/access-requests`. Null when requests go to no server.
 */
export function accessRequestEndpoint(policy: {
  accessRequest: { server?: boolean; serverUrl?: string };
  reportUrl?: string | undefined;
}): string | null {
  const { server, serverUrl } = policy.accessRequest;
  const base = serverUrl ?? (server === true ? policy.reportUrl : null);
  if (!base) return null;
  try {
    return new URL('/v1/access-requests', base).toString();
  } catch {
    return null;
  }
}
