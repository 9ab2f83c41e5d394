/**
 * The `compose` managed-policy key: how Steward treats confidential data on its way out of the
 * school by email. A valibot schema (no eval, so it runs in the service worker under MV3's CSP),
 * documented defaults, and error messages that name the field, such as
 * `compose.customPatterns[2].pattern: unterminated group`, because an admin reading
 * chrome://policy or the CLI needs to know which line of their JSON to fix.
 *
 * | field | type | default |
 * |---|---|---|
 * | `mode` | `"off"` \| `"warn"` \| `"block"` | `"warn"` |
 * | `override` | `"acknowledge"` \| `"reason"` | `"acknowledge"` |
 * | `minConfidence` | `"low"` \| `"medium"` \| `"high"` | `"medium"` |
 * | `disabledDetectors` | finding type names | `[]` |
 * | `customPatterns` | `{ name, pattern, flags?, minConfidence?, keywords? }[]` (≤ 50) | `[]` |
 * | `customWords` | `{ name, words: string[] }[]` (≤ 50 lists, ≤ 1000 words each) | `[]` |
 * | `bulkRecipientThreshold` | integer ≥ 2 | `10` |
 * | `blockMessage` | string (≤ 500 chars) | see `DEFAULT_BLOCK_MESSAGE` |
 * | `disclaimer` | string (≤ 2000 chars) | none: no reminder |
 * | `secureRoute` | `{ name, url, note? }` (https URL) | none |
 */
import * as v from 'valibot';
import { describeIssue } from '../validation.ts';
import { checkFlags, MAX_WORDS_PER_LIST, patternEngine } from './custom-rules.ts';
import { CONFIDENCES, FINDING_TYPES } from './detectors.ts';
import { DEFAULT_BULK_RECIPIENT_THRESHOLD } from './recipients.ts';

export const COMPOSE_MODES = ['off', 'warn', 'block'] as const;
export const OVERRIDE_KINDS = ['acknowledge', 'reason'] as const;

export const DEFAULT_BLOCK_MESSAGE =
  'This message appears to contain confidential information and is addressed to someone outside ' +
  'the school. School policy does not allow it to be sent by email. Remove the confidential ' +
  'information or the outside recipients, or ask the data protection lead how to share it securely.';

const oneOf = (values: readonly string[]) =>
  `must be one of ${values.map((x) => `"${x}"`).join(', ')}`;

const ConfidenceSchema = v.picklist(CONFIDENCES, oneOf(CONFIDENCES));

const NameSchema = v.pipe(
  v.string('must be a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(60, 'must be at most 60 characters'),
);

/**
 * Why RE2 refuses the pattern, or null. Where the engine is not loaded (the webmail content script
 * before the worker has injected it) nothing is refused here: the same check runs when the engine
 * compiles the pattern, and a refused pattern is then reported as not run. The worker, extension
 * pages and CLI always have the engine, so admins always see the reason.
 */
function checkPattern(source: string, flags: string): string | null {
  return patternEngine()?.checkPattern(source, flags) ?? null;
}

function usableFlags(flags: string | undefined): string {
  return flags && checkFlags(flags) === null ? flags : '';
}

export const CustomPatternSchema = v.pipe(
  v.object(
    {
      name: NameSchema,
      pattern: v.string('must be a string (a regular expression source)'),
      flags: v.optional(
        v.pipe(
          v.string('must be a string'),
          v.check(
            (flags) => checkFlags(flags) === null,
            (issue) => checkFlags(String(issue.input)) ?? 'invalid flags',
          ),
        ),
      ),
      minConfidence: v.optional(ConfidenceSchema),
      keywords: v.optional(
        v.pipe(
          v.array(
            v.pipe(v.string('must be a string'), v.trim(), v.minLength(1, 'must not be empty')),
            'must be an array of strings',
          ),
          v.maxLength(100, 'at most 100 keywords'),
        ),
      ),
    },
    'must be an object with "name" and "pattern"',
  ),
  v.forward(
    // Bad flags are reported on `flags`; check the pattern itself without them.
    v.check(
      (p) => checkPattern(p.pattern, usableFlags(p.flags)) === null,
      (issue) => {
        const p = issue.input as { pattern: string; flags?: string };
        return checkPattern(p.pattern, usableFlags(p.flags)) ?? 'invalid pattern';
      },
    ),
    ['pattern'],
  ),
);

export const CustomWordsSchema = v.object(
  {
    name: NameSchema,
    words: v.pipe(
      v.array(
        v.pipe(
          v.string('must be a string'),
          v.trim(),
          v.minLength(1, 'must not be empty'),
          v.maxLength(100, 'must be at most 100 characters'),
        ),
        'must be an array of strings',
      ),
      v.minLength(1, 'must list at least one word'),
      v.maxLength(MAX_WORDS_PER_LIST, `at most ${MAX_WORDS_PER_LIST} words`),
    ),
  },
  'must be an object with "name" and "words"',
);

/**
 * The school's secure way to send confidential information (Egress, the local authority's portal,
 * a shared drive), named with a link in every warning about confidential data.
 */
export const SecureRouteSchema = v.object(
  {
    name: v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.minLength(1, 'must not be empty'),
      v.maxLength(80, 'must be at most 80 characters'),
    ),
    url: v.pipe(
      v.string('must be a string (an https:// address)'),
      v.trim(),
      v.check(isHttpsUrl, 'must be an https:// address'),
    ),
    note: v.optional(
      v.pipe(
        v.string('must be a string'),
        v.trim(),
        v.minLength(1, 'must not be empty'),
        v.maxLength(300, 'must be at most 300 characters'),
      ),
    ),
  },
  'must be an object with "name" and "url"',
);

export type SecureRoute = v.InferOutput<typeof SecureRouteSchema>;

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

export const COMPOSE_POLICY_DEFAULTS = {
  mode: 'warn',
  override: 'acknowledge',
  minConfidence: 'medium',
  disabledDetectors: [],
  customPatterns: [],
  customWords: [],
  bulkRecipientThreshold: DEFAULT_BULK_RECIPIENT_THRESHOLD,
  blockMessage: DEFAULT_BLOCK_MESSAGE,
} as const;

/** One schema per field, so that a lenient parse can keep the good fields of a bad policy. */
const FIELD_SCHEMAS = {
  mode: v.optional(v.picklist(COMPOSE_MODES, oneOf(COMPOSE_MODES)), COMPOSE_POLICY_DEFAULTS.mode),
  override: v.optional(
    v.picklist(OVERRIDE_KINDS, oneOf(OVERRIDE_KINDS)),
    COMPOSE_POLICY_DEFAULTS.override,
  ),
  minConfidence: v.optional(ConfidenceSchema, COMPOSE_POLICY_DEFAULTS.minConfidence),
  disabledDetectors: v.optional(
    v.array(v.picklist(FINDING_TYPES, oneOf(FINDING_TYPES)), 'must be an array of detector names'),
    () => [],
  ),
  customPatterns: v.optional(
    v.pipe(
      v.array(CustomPatternSchema, 'must be an array'),
      v.maxLength(50, 'at most 50 patterns'),
    ),
    () => [],
  ),
  customWords: v.optional(
    v.pipe(v.array(CustomWordsSchema, 'must be an array'), v.maxLength(50, 'at most 50 lists')),
    () => [],
  ),
  bulkRecipientThreshold: v.optional(
    v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number'),
      v.minValue(2, 'must be at least 2'),
    ),
    COMPOSE_POLICY_DEFAULTS.bulkRecipientThreshold,
  ),
  blockMessage: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.minLength(1, 'must not be empty'),
      v.maxLength(500, 'must be at most 500 characters'),
    ),
    COMPOSE_POLICY_DEFAULTS.blockMessage,
  ),
  /** The school's standard disclaimer (seeds 001, 004: "on every e-mail"); no default. */
  disclaimer: v.optional(
    v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.minLength(1, 'must not be empty'),
      v.maxLength(2000, 'must be at most 2000 characters'),
    ),
  ),
  secureRoute: v.optional(SecureRouteSchema),
};

export const ComposePolicySchema = v.object(
  FIELD_SCHEMAS,
  'the "compose" policy must be an object',
);

export type ComposePolicy = v.InferOutput<typeof ComposePolicySchema>;
export type ComposeMode = ComposePolicy['mode'];

export const DEFAULT_COMPOSE_POLICY: ComposePolicy = v.parse(ComposePolicySchema, {});

export type PolicyParse = { ok: true; policy: ComposePolicy } | { ok: false; errors: string[] };

/** Strict: any error rejects the whole policy (the admin CLI and policy checks use this). */
export function parseComposePolicy(input: unknown, root = 'compose'): PolicyParse {
  const result = v.safeParse(ComposePolicySchema, input ?? {});
  // Unknown keys are an error here, not silently dropped: "minConfidance" must not quietly
  // leave the default in force. (The lenient parse below ignores them, for newer policies.)
  const unknown =
    typeof input === 'object' && input !== null && !Array.isArray(input)
      ? Object.keys(input).filter((k) => !(k in FIELD_SCHEMAS))
      : [];
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
 * Lenient, for the extension: a mistake in one field must not switch off the whole warning. Each
 * bad field falls back to its default, each bad custom pattern or word list is dropped, and the
 * errors are returned so they can be shown in the popup and reported.
 */
export function resolveComposePolicy(
  input: unknown,
  root = 'compose',
): { policy: ComposePolicy; errors: string[] } {
  const strict = parseComposePolicy(input, root);
  if (strict.ok) return { policy: strict.policy, errors: [] };
  const errors = strict.errors;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { policy: DEFAULT_COMPOSE_POLICY, errors };
  }
  const raw = input as Record<string, unknown>;
  const policy: Record<string, unknown> = { ...DEFAULT_COMPOSE_POLICY };
  for (const [key, schema] of Object.entries(FIELD_SCHEMAS)) {
    const value = raw[key];
    if ((key === 'customPatterns' || key === 'customWords') && Array.isArray(value)) {
      const item = key === 'customPatterns' ? CustomPatternSchema : CustomWordsSchema;
      policy[key] = value
        .map((x) => v.safeParse(item, x))
        .filter((r) => r.success)
        .map((r) => r.output)
        .slice(0, 50);
      continue;
    }
    const parsed = v.safeParse(schema, value);
    if (parsed.success) policy[key] = parsed.output;
  }
  return { policy: v.parse(ComposePolicySchema, policy), errors };
}

/**
 * The mistakes in a policy's `compose` settings, in plain words (`compose.minConfidence: …`). The
 * extension applies the rest (each bad field falls back to its default, resolveComposePolicy), and
 * these are shown in the popup, the options page and the report like every other policy error.
 */
export function composePolicyErrors(policy: { compose?: unknown }): string[] {
  return policy.compose === undefined ? [] : resolveComposePolicy(policy.compose).errors;
}
