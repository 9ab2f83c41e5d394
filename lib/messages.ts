/**
 * Messages between Steward's contexts, as one typed union. Named by sender and intent. The
 * background checks who sent each one: extension pages may send any; content scripts (which run
 * in web pages) only those in CONTENT_SCRIPT_MESSAGES.
 */
import type { AccessRequestsState, EnqueueResult } from './access-request/queue.ts';
import type { UrlVerdict } from './compiler.ts';
import type { ReportState, UploadResult } from './report/index.ts';

export type BlockPageOpened = {
  type: 'blockPage/opened';
  category: string;
  mode: 'block' | 'warn';
};

/** Staff chose "Continue" on a warning: allow this host in this tab for a while. */
export type BlockPageContinue = {
  type: 'blockPage/continue';
  category: string;
  host: string;
};

/**
 * "Ask for access" on the block page. The page says which URL and why; the worker re-derives
 * the site and category from the rules in force and refuses a URL that is not blocked or warned.
 */
export type BlockPageRequestAccess = {
  type: 'blockPage/requestAccess';
  url: string;
  reason: string;
};

/** How this browser's access requests stand (block page and popup); `check` asks the server now. */
export type AccessRequestsStateRequest = { type: 'accessRequests/state'; check: boolean };

export type AccessRequestsReply = {
  enabled: boolean;
  identity: 'installation' | 'email';
  state: AccessRequestsState;
};

export type OptionsTestUrl = { type: 'options/testUrl'; url: string };

export type RequestPolicyRefresh = { type: 'popup/refreshPolicy' };

/** "Send counts now": an admin's explicit upload, ignoring the retry backoff (same batch ids). */
export type SendReportsNow = { type: 'options/sendReportsNow' };

/** Reporting state for the popup and options page: unsent counts, pending batches, last error. */
export type ReportingStateRequest = { type: 'options/reportingState' };

/** Check the rule-list URL now (options page; also used by the benchmark for its timings). */
export type RefreshRuleList = { type: 'options/refreshRuleList' };

export type RefreshRuleListReply = {
  outcome: 'updated' | 'unchanged' | 'error';
  message?: string;
  timings: { fetchAndVerifyMs: number; applyMs: number; totalMs: number };
};

/** A send-warning outcome from a webmail content script: detector type and outcome only. */
export type ReportCount = {
  type: 'report/count';
  event: { kind: 'email'; detector: string; outcome: string };
};

/** A webmail adapter could not find what it needs on a compose page (it then fails safe). */
export type WebmailHealth = {
  type: 'webmail/health';
  service: 'gmail' | 'outlook' | 'yahoo' | 'roundcube';
  problem: string;
};

/** A webmail content script asks for the parts of policy it needs. */
export type WebmailPolicyRequest = { type: 'webmail/policy' };

export type WebmailPolicy = {
  orgDomains: string[];
  /** Self-hosted webmail named in policy, so the runtime script knows which adapter to use. */
  webmailSites: { service: 'roundcube' | 'outlook' | 'gmail' | 'yahoo'; host: string }[];
  compose: unknown;
  mailbox: unknown;
  schoolName?: string;
};

export type StewardMessage =
  | BlockPageOpened
  | BlockPageContinue
  | BlockPageRequestAccess
  | AccessRequestsStateRequest
  | OptionsTestUrl
  | RequestPolicyRefresh
  | SendReportsNow
  | ReportingStateRequest
  | RefreshRuleList
  | ReportCount
  | WebmailHealth
  | WebmailPolicyRequest;

export type StewardReply = {
  'blockPage/opened': { ok: true };
  'blockPage/continue': { ok: true } | { ok: false; reason: string };
  'blockPage/requestAccess':
    | EnqueueResult
    | { ok: false; reason: 'not_blocked' | 'not_block_page'; message: string };
  'accessRequests/state': AccessRequestsReply;
  'options/testUrl': UrlVerdict;
  'popup/refreshPolicy': { ok: true };
  'options/sendReportsNow': UploadResult;
  'options/reportingState': ReportState;
  'options/refreshRuleList': RefreshRuleListReply;
  'report/count': { ok: boolean };
  'webmail/health': { ok: true };
  'webmail/policy': WebmailPolicy;
};

const MESSAGE_TYPES: ReadonlySet<string> = new Set<StewardMessage['type']>([
  'blockPage/opened',
  'blockPage/continue',
  'blockPage/requestAccess',
  'accessRequests/state',
  'options/testUrl',
  'popup/refreshPolicy',
  'options/sendReportsNow',
  'options/reportingState',
  'options/refreshRuleList',
  'report/count',
  'webmail/health',
  'webmail/policy',
]);

/** Messages a content script (running in a web page) may send; the rest need an extension page. */
export const CONTENT_SCRIPT_MESSAGES: ReadonlySet<StewardMessage['type']> = new Set<
  StewardMessage['type']
>(['report/count', 'webmail/health', 'webmail/policy']);

export function isStewardMessage(value: unknown): value is StewardMessage {
  if (!value || typeof value !== 'object') return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && MESSAGE_TYPES.has(type);
}
