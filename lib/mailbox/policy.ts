/**
 * The `mailbox` policy key: what Steward does about personal mailboxes, and which DNR header rules
 * keep school and personal accounts apart. Pure (no browser API): the service worker uses it to
 * build header rules, the content script to label mailboxes, the admin CLI to check a policy.
 *
 * Every field is optional; the defaults follow the seed policies, which allow incidental personal
 * use as long as personal e-mails are "labelled personal in the subject header" (seeds 000, 001,
 * 002, 004), and remind staff that they "will not use personal emails to send and receive personal
 * data" (seed 003). Nothing that changes what loads (header rules) is on by default: each one stops
 * something staff may rely on (docs/mailboxes.md, "Consequences").
 */
import * as v from 'valibot';
import { describeIssue } from '../validation.ts';

export const PERSONAL_WEBMAIL_MODES = ['label', 'block'] as const;
export type PersonalWebmailMode = (typeof PERSONAL_WEBMAIL_MODES)[number];

export const YOUTUBE_RESTRICT_MODES = ['Strict', 'Moderate'] as const;

/** The reminder shown on a personal mailbox when the policy gives none (seed wording). */
export const DEFAULT_LABEL_TEXT =
  'Personal e-mails must be labelled personal in the subject header. ' +
  'Do not use personal email to send or receive personal data about pupils, parents or staff.';

export const DEFAULT_SUBJECT_LABEL = 'PERSONAL';

/** A Microsoft Entra tenant id (directory id) is a GUID. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN_LIKE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const oneOf = (values: readonly string[]) =>
  `must be one of ${values.map((x) => `"${x}"`).join(', ')}`;

const TenantRestrictionSchema = v.pipe(
  v.object(
    {
      tenantIds: v.optional(
        v.pipe(
          v.array(
            v.pipe(v.string('must be a tenant id'), v.regex(GUID, 'must be a tenant id (a GUID)')),
            'must be a list of tenant ids',
          ),
          v.maxLength(50, 'at most 50 tenant ids'),
        ),
        () => [],
      ),
      tenantDomains: v.optional(
        v.pipe(
          v.array(
            v.pipe(
              v.string('must be a domain'),
              v.trim(),
              v.toLowerCase(),
              v.regex(DOMAIN_LIKE, 'must be a domain such as school.onmicrosoft.com'),
            ),
            'must be a list of domains',
          ),
          v.maxLength(50, 'at most 50 tenant domains'),
        ),
        () => [],
      ),
      /** The school's own tenant id: Microsoft logs restricted sign-ins against it. */
      tenantContext: v.pipe(
        v.string('must be the school tenant id (a GUID)'),
        v.regex(GUID, 'must be the school tenant id (a GUID)'),
      ),
    },
    'must be false or an object with tenantIds and/or tenantDomains and tenantContext',
  ),
  v.check(
    (t) => t.tenantIds.length + t.tenantDomains.length > 0,
    'must name at least one tenant in tenantIds or tenantDomains',
  ),
);

const KnownContact = v.pipe(
  v.string('must be an address or a domain'),
  v.trim(),
  v.toLowerCase(),
  v.check(
    (s) => DOMAIN_LIKE.test(s.replace(/^@/, '')) || /^[^\s@]+@[^\s@]+\.[a-z]{2,63}$/.test(s),
    'must be an address (governor@gmail.com) or a domain (trust.example)',
  ),
);

export const MAILBOX_POLICY_DEFAULTS = {
  personalWebmail: 'label' as PersonalWebmailMode,
  labelText: DEFAULT_LABEL_TEXT,
  subjectLabel: DEFAULT_SUBJECT_LABEL,
  suggestPersonalLabel: false,
  knownContacts: [] as string[],
  restrictGoogleAccounts: false,
  restrictMicrosoftTenants: false as const,
  blockConsumerMicrosoft: false,
};

/** One schema per field, so that a lenient parse can keep the good fields of a bad policy. */
const FIELD_SCHEMAS = {
  /**
   * What to do on a personal mailbox that loads (the webmail category allows it, or the host is a
   * shared one such as mail.google.com): `label` it, or cover it (`block`).
   */
  personalWebmail: v.optional(
    v.picklist(PERSONAL_WEBMAIL_MODES, oneOf(PERSONAL_WEBMAIL_MODES)),
    MAILBOX_POLICY_DEFAULTS.personalWebmail,
  ),
  /** The reminder on the label: the school's own clause, ideally. */
  labelText: v.optional(
    v.pipe(
      v.string('must be text'),
      v.trim(),
      v.minLength(1, 'must not be empty'),
      v.maxLength(500, 'must be at most 500 characters'),
    ),
    MAILBOX_POLICY_DEFAULTS.labelText,
  ),
  /** What the "Personal" control puts at the start of a subject. */
  subjectLabel: v.optional(
    v.pipe(
      v.string('must be text'),
      v.trim(),
      v.minLength(1, 'must not be empty'),
      v.maxLength(40, 'must be at most 40 characters'),
      v.regex(/^[^\s:]/, 'must not start with a space or a colon'),
      v.check((s) => !/[\r\n]/.test(s), 'must be one line'),
    ),
    MAILBOX_POLICY_DEFAULTS.subjectLabel,
  ),
  /** When every recipient is a free-mail address, the send warning suggests the subject label. */
  suggestPersonalLabel: v.optional(
    v.boolean('must be true or false'),
    MAILBOX_POLICY_DEFAULTS.suggestPersonalLabel,
  ),
  /** Addresses or domains that are school business even on free mail (e.g. a governor's Gmail). */
  knownContacts: v.optional(
    v.pipe(
      v.array(KnownContact, 'must be a list of addresses or domains'),
      v.maxLength(1000, 'at most 1,000 entries'),
    ),
    () => [],
  ),
  /** Send `X-GoogApps-Allowed-Domains: <orgDomains>` to Google: school Google accounts only. */
  restrictGoogleAccounts: v.optional(
    v.boolean('must be true or false'),
    MAILBOX_POLICY_DEFAULTS.restrictGoogleAccounts,
  ),
  /** Microsoft 365 tenant restrictions (v1 headers): sign-in to these tenants only. */
  restrictMicrosoftTenants: v.optional(
    v.union(
      [v.literal(false), TenantRestrictionSchema],
      'must be false or an object with tenantIds and/or tenantDomains and tenantContext',
    ),
    MAILBOX_POLICY_DEFAULTS.restrictMicrosoftTenants,
  ),
  /** Refuse personal Microsoft account (Outlook.com, Xbox, Skype) sign-in on login.live.com. */
  blockConsumerMicrosoft: v.optional(
    v.boolean('must be true or false'),
    MAILBOX_POLICY_DEFAULTS.blockConsumerMicrosoft,
  ),
  /** YouTube restricted mode by header (optional extra; unset = YouTube untouched). */
  youtubeRestrict: v.optional(v.picklist(YOUTUBE_RESTRICT_MODES, oneOf(YOUTUBE_RESTRICT_MODES))),
};

export const MailboxPolicySchema = v.object(
  FIELD_SCHEMAS,
  'the "mailbox" policy must be an object',
);

export type MailboxPolicy = v.InferOutput<typeof MailboxPolicySchema>;
export type TenantRestriction = Exclude<MailboxPolicy['restrictMicrosoftTenants'], false>;

export const DEFAULT_MAILBOX_POLICY: MailboxPolicy = v.parse(MailboxPolicySchema, {});

export type MailboxPolicyParse =
  | { ok: true; policy: MailboxPolicy }
  | { ok: false; errors: string[] };

/**
 * Strict: any error rejects the whole `mailbox` value (policy checks, the admin CLI, and the
 * service worker before it builds header rules). Unknown keys are errors, so a misspelt
 * "restrictGoogleAcounts" cannot silently leave personal sign-in open.
 */
export function parseMailboxPolicy(input: unknown, root = 'mailbox'): MailboxPolicyParse {
  const value = input ?? {};
  if (Array.isArray(value)) return { ok: false, errors: [`${root}: must be an object`] };
  const unknown =
    typeof value === 'object' && !Array.isArray(value)
      ? Object.keys(value).filter((k) => !(k in FIELD_SCHEMAS))
      : [];
  const result = v.safeParse(MailboxPolicySchema, value);
  const errors = [
    ...unknown.map(
      (k) => `${root}.${k}: unknown setting (known: ${Object.keys(FIELD_SCHEMAS).join(', ')})`,
    ),
    ...(result.success ? [] : result.issues.map((i) => describeIssue(i, { root }))),
  ];
  if (result.success && errors.length === 0) return { ok: true, policy: result.output };
  return { ok: false, errors };
}

/**
 * Lenient, for content scripts: one bad field falls back to its default and the rest still apply,
 * so a typo in `labelText` never takes the personal-mailbox label away.
 */
export function resolveMailboxPolicy(input: unknown): { policy: MailboxPolicy; errors: string[] } {
  const strict = parseMailboxPolicy(input);
  if (strict.ok) return { policy: strict.policy, errors: [] };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { policy: DEFAULT_MAILBOX_POLICY, errors: strict.errors };
  }
  const raw = input as Record<string, unknown>;
  const policy: Record<string, unknown> = { ...DEFAULT_MAILBOX_POLICY };
  for (const [key, schema] of Object.entries(FIELD_SCHEMAS)) {
    if (!(key in raw)) continue;
    const parsed = v.safeParse(schema as v.GenericSchema, raw[key]);
    if (parsed.success) policy[key] = parsed.output;
  }
  return { policy: policy as MailboxPolicy, errors: strict.errors };
}
