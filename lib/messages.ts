/**
 * Messages between Steward's contexts: ONE protocol map. For each message: what is asked, what the
 * service worker replies, and who may ask (the sender as the browser reports it, never as the
 * message says). Pure: no browser API here; the background dispatches with `dispatch()` and every
 * page or content script sends through `messenger<Sender>()`, so
 *
 * - a handler returning the wrong reply does not compile (`Handlers` maps each type to its reply);
 * - a context sending a message it may not does not compile (`messenger<'content script'>` only
 *   offers the content-script messages), and if it is sent anyway (a web page's script, a
 *   hand-written message) the service worker refuses it (`dispatch` checks the real sender).
 *
 * Why our own ~150 lines rather than @webext-core/messaging: that library types request → reply
 * but has no notion of who may send what; the sender rule is the security property here, and it
 * must be one table that the compiler and the dispatcher both read.
 *
 * Pages ask, the service worker decides: no request field says what is allowed. The block page
 * sends only the URL it was given; the worker re-derives the verdict from the rules in force.
 */
import type { AccessRequestsState, EnqueueResult } from './access-request/queue.ts';
import {
  type AdapterProblem,
  isAdapterProblem,
  isWebmailService,
  type WebmailService,
} from './adapter-health.ts';
import type { UrlVerdict } from './compiler.ts';
import type { SoftwareKind } from './downloads.ts';
import type { WhenSaid } from './personal-use.ts';
import type { WebmailSite } from './policy.ts';
import type { ReportState, UploadResult } from './report/index.ts';

/** Who sent a message, as derived by the service worker from the browser's `MessageSender`. */
export type SenderKind =
  /** The popup or the options page (an extension page that is not the block page). */
  | 'extension page'
  /** The block page, in any frame (it may be framed by a blocked sub-frame navigation). */
  | 'block page'
  /** The block page as the top-level document of a tab (frameId 0). */
  | 'block page (top frame)'
  /** Steward's page for a stopped download (download-stopped.html), in a tab. */
  | 'download page'
  /** Steward's own content script, running inside a web page. */
  | 'content script';

/** How staff ask for access, from the policy (lib/policy.ts `AccessRequest`). */
export type AccessRequestSettings = {
  email?: string;
  url?: string;
  note?: string;
  server?: boolean;
  serverUrl?: string;
};

/** How this browser's access requests stand, for the block page and popup. */
export type AccessRequestsReply = {
  enabled: boolean;
  identity: 'installation' | 'email';
  state: AccessRequestsState;
};

export type RequestAccessReply =
  | EnqueueResult
  /**
   * `locked`: a category the signed rule list locks; nobody in school can grant access, so the
   * worker refuses the request (the block page offers "Report a wrong block" instead).
   */
  | { ok: false; reason: 'not_blocked' | 'locked'; message: string };

/** What the block page shows: derived by the worker from the rules in force, never from its URL. */
export type BlockPageVerdict =
  | {
      /** The URL, as the browser parses it (what Continue would open). */
      url: string;
      host: string;
      outcome: 'blocked' | 'warned';
      /** Category id, or `blockList` for the school's own list. */
      category: string;
      /** Display name for categories Steward does not ship (from the rule list). */
      categoryLabel?: string;
      /** The school's clause for this category, if the policy or rule list gives one. */
      clause?: string;
      /**
       * The category is locked by the signed rule list (an IWF/CTIRU-style list): no access can be
       * asked for or granted in school. Only ever `true` (blocked outcomes).
       */
      locked?: true;
      schoolName?: string;
      accessRequest: AccessRequestSettings;
      /** Minutes a Continue lasts (warned only). */
      warnContinueMinutes: number;
      /** When personal use next opens this category (the worker's schedule and clock). */
      personalUseOpens?: WhenSaid;
    }
  | {
      /** Not blocked or warned by the rules in force (or not a web address): nothing to continue. */
      outcome: 'allowed' | 'invalid' | 'applying';
      url: string | null;
      host: string | null;
      schoolName?: string;
      accessRequest: AccessRequestSettings;
    };

/** What the download page shows about a stopped download (from the worker's own record). */
export type DownloadStoppedDetails = {
  name: string;
  kind: SoftwareKind;
  site: string | null;
  mode: 'block' | 'warn';
  disguised: boolean;
  evidence: string;
  /** The policy clause for downloads, how to ask, and the school's name (from the worker). */
  clause: string | null;
  accessRequest: { email?: string; url?: string; note?: string };
  schoolName?: string;
};

export type ContinueReply = { ok: true; url: string } | { ok: false; reason: string };

/** "Test a site" on the options page. */
export type TestUrlReply =
  | { kind: 'verdict'; verdict: UrlVerdict }
  /** The rules are still being applied: ask again shortly. */
  | { kind: 'applying' }
  | { kind: 'invalid' };

export type RefreshRuleListReply = {
  outcome: 'updated' | 'unchanged' | 'error';
  message?: string;
  /**
   * When the check began, on the worker's clock (performance.now): lets a benchmark place the
   * update among the worker's own traces (garbage collections, with --js-flags=--trace-gc).
   */
  startedAt?: number;
  timings: {
    fetchAndVerifyMs: number;
    applyMs: number;
    /**
     * From the check's start to the new rules in force (the browser's update landed and what it
     * enforces settled). For a full list the record of the outcome, the stored list and the
     * verdict index come after this end point; for a change document, the record is inside it.
     */
    totalMs: number;
    /** For an update: where the time went (the benchmark prints these). */
    fetchMs?: number;
    checkMs?: number;
    /** Within checkMs: reading the JSON (the signature is checked off the thread meanwhile). */
    parseMs?: number;
    /**
     * Within checkMs: when the browser's signature verdict reached the worker (from the check's
     * start), and the SHA-256 of the bytes (from their arrival). Either later than the reading
     * means the check waited for the browser's crypto.
     */
    verifyMs?: number;
    hashMs?: number;
    /**
     * The policy read and IndexedDB's record of the list read (from the refresh's start, before
     * the fetch); within fetchMs, from its start: the list's answer (headers), its last byte, the
     * signature file in.
     */
    policyReadMs?: number;
    savedMs?: number;
    headersMs?: number;
    bodyMs?: number;
    signatureMs?: number;
    /** Storing the list as the last good one, once the rules are in force (not in the total). */
    storeMs?: number;
    planMs?: number;
    browserMs?: number;
    settleMs?: number;
    /**
     * Recording the outcome in storage (policy, block-page facts, state: one write) once the rules
     * are in force. For a full list, not in the total (whose end is the rules in force).
     */
    recordMs?: number;
    /** Building and storing the verdict index, once the rules are in force (not in the total). */
    indexMs?: number;
    /** Within planMs: reading the inputs, the managed policy, planning, the state written first. */
    inputsMs?: number;
    policyMs?: number;
    computeMs?: number;
    beforeMs?: number;
    /** Within applyMs: waiting for the queue, and the work after the reconcile (alarms). */
    queueMs?: number;
    afterMs?: number;
  };
};

/** A send-warning outcome from a webmail content script: detector type and outcome only. */
export type ReportCount = {
  type: 'report/count';
  event: { kind: 'email'; detector: string; outcome: string };
};

/**
 * A webmail adapter could not find what it needs on a compose page (it then fails safe). A code,
 * never text from the page; the service worker refuses anything else.
 */
export type WebmailHealth = {
  type: 'webmail/health';
  service: WebmailService;
  problem: AdapterProblem;
};

/** A webmail content script asks for the parts of policy it needs. */
export type WebmailPolicyRequest = { type: 'webmail/policy' };

/**
 * A webmail content script whose policy has school patterns asks for the pattern engine
 * (lib/dlp/custom-rules.ts). No fields: the worker injects it into the sender's own frame, and only
 * when the policy in force has patterns.
 */
export type PatternEngineRequest = { type: 'webmail/patternEngine' };

export type WebmailPolicy = {
  orgDomains: string[];
  /** Self-hosted webmail named in policy, so the runtime script knows which adapter to use. */
  webmailSites: WebmailSite[];
  compose: unknown;
  mailbox: unknown;
  schoolName?: string;
};

type Field<T> = (value: unknown) => value is T;
const isString: Field<string> = (v): v is string => typeof v === 'string' && v.length <= 8_192;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * THE protocol: request fields (besides `type`), reply, and who may send it. `valid` checks the
 * request's shape at run time (a message is untrusted input); the types below are derived from
 * this one table.
 */
export const PROTOCOL = {
  /** The block page asks what to show for the URL in its fragment. */
  'blockPage/verdict': {
    from: ['block page'],
    valid: (m: Record<string, unknown>) => isString(m.url),
  },
  /** The block page says it is showing a URL (the worker counts it once per tab navigation). */
  'blockPage/opened': {
    from: ['block page (top frame)'],
    valid: (m: Record<string, unknown>) => isString(m.url),
  },
  /** Staff chose "Continue" on a warning for this URL, in this tab. */
  'blockPage/continue': {
    from: ['block page (top frame)'],
    valid: (m: Record<string, unknown>) => isString(m.url),
  },
  /** The download page asks what was stopped (it holds only the token the worker gave it). */
  'downloadPage/details': {
    from: ['download page'],
    valid: (m: Record<string, unknown>) => isString(m.token) && m.token.length <= 100,
  },
  /** "Download anyway" on a warned download: the worker decides, and fetches that file once. */
  'downloadPage/downloadAnyway': {
    from: ['download page'],
    valid: (m: Record<string, unknown>) => isString(m.token) && m.token.length <= 100,
  },
  /**
   * "Ask for access": the block page says which URL and why; the worker re-derives the site and
   * category from the rules in force and refuses a URL that is not blocked or warned.
   */
  'blockPage/requestAccess': {
    from: ['block page (top frame)'],
    valid: (m: Record<string, unknown>) =>
      isString(m.url) && typeof m.reason === 'string' && m.reason.length <= 2_000,
  },
  /** How this browser's access requests stand; `check` sends waiting ones and asks the server. */
  'accessRequests/state': {
    from: ['block page', 'extension page'],
    valid: (m: Record<string, unknown>) => typeof m.check === 'boolean',
  },
  'options/testUrl': {
    from: ['extension page'],
    valid: (m: Record<string, unknown>) => isString(m.url),
  },
  /** Check the rule-list URL now (options page; also used by the benchmark for its timings). */
  'options/refreshRuleList': { from: ['extension page'], valid: () => true },
  /** "Send counts now": an admin's explicit upload, ignoring the retry backoff (same batch ids). */
  'options/sendReportsNow': { from: ['extension page'], valid: () => true },
  /** Reporting state for the popup and options page: unsent counts, pending batches, last error. */
  'options/reportingState': { from: ['extension page'], valid: () => true },
  'report/count': {
    from: ['content script'],
    valid: (m: Record<string, unknown>) =>
      isObject(m.event) &&
      m.event.kind === 'email' &&
      isString(m.event.detector) &&
      isString(m.event.outcome),
  },
  'webmail/health': {
    from: ['content script'],
    // A code, never text from the page (lib/adapter-health.ts).
    valid: (m: Record<string, unknown>) =>
      isWebmailService(m.service) && isAdapterProblem(m.problem),
  },
  'webmail/policy': { from: ['content script'], valid: () => true },
  'webmail/patternEngine': { from: ['content script'], valid: () => true },
} as const satisfies Record<
  string,
  { from: readonly SenderKind[]; valid: (m: Record<string, unknown>) => boolean }
>;

export type MessageType = keyof typeof PROTOCOL;

/** Request fields per message (the wire format is `{ type, ...fields }`). */
export type Requests = {
  'blockPage/verdict': { url: string };
  'blockPage/opened': { url: string };
  'blockPage/continue': { url: string };
  'downloadPage/details': { token: string };
  'downloadPage/downloadAnyway': { token: string };
  'blockPage/requestAccess': { url: string; reason: string };
  'accessRequests/state': { check: boolean };
  'options/testUrl': { url: string };
  'options/refreshRuleList': Record<never, never>;
  'options/sendReportsNow': Record<never, never>;
  'options/reportingState': Record<never, never>;
  'report/count': Omit<ReportCount, 'type'>;
  'webmail/health': Omit<WebmailHealth, 'type'>;
  'webmail/policy': Omit<WebmailPolicyRequest, 'type'>;
  'webmail/patternEngine': Omit<PatternEngineRequest, 'type'>;
};

export type Replies = {
  'blockPage/verdict': BlockPageVerdict;
  'blockPage/opened': { counted: boolean };
  'blockPage/continue': ContinueReply;
  'downloadPage/details': DownloadStoppedDetails | null;
  'downloadPage/downloadAnyway':
    | { ok: true }
    | { ok: false; reason: 'unknown' | 'not-warn' | 'failed' };
  'blockPage/requestAccess': RequestAccessReply;
  'accessRequests/state': AccessRequestsReply;
  'options/testUrl': TestUrlReply;
  'options/refreshRuleList': RefreshRuleListReply;
  'options/sendReportsNow': UploadResult;
  'options/reportingState': ReportState;
  'report/count': { ok: boolean };
  'webmail/health': { ok: true };
  'webmail/policy': WebmailPolicy;
  /** `loaded`: the engine is in the frame now; `not-needed`: the policy has no patterns. */
  'webmail/patternEngine': { ok: boolean; reason?: 'not-needed' | 'failed' };
};

export type StewardMessage = { [K in MessageType]: { type: K } & Requests[K] }[MessageType];

/** Messages a given kind of sender may send. */
export type MessagesFrom<S extends SenderKind> = {
  [K in MessageType]: S extends (typeof PROTOCOL)[K]['from'][number] ? K : never;
}[MessageType];

/** A whole message (with `type`) that a given kind of sender may send. */
export type MessageFrom<S extends SenderKind> = Extract<StewardMessage, { type: MessagesFrom<S> }>;

/** What the worker knows about a sender (from the browser's `runtime.MessageSender`). */
export type SenderFacts = {
  /** The sending extension's id (must be ours). */
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number };
};

/**
 * Which kinds a sender is, from the browser's facts only. `extensionOrigin` is
 * `runtime.getURL('/')`, `blockPageUrl` is `runtime.getURL('/blocked.html')`.
 */
export function classifySender(
  sender: SenderFacts,
  ours: {
    extensionId: string;
    extensionOrigin: string;
    blockPageUrl: string;
    /** `runtime.getURL('/download-stopped.html')`. */
    downloadPageUrl?: string;
  },
): Set<SenderKind> {
  const kinds = new Set<SenderKind>();
  if (sender.id !== ours.extensionId || !sender.url) return kinds;
  const url = sender.url;
  const isBlockPage =
    url === ours.blockPageUrl ||
    url.startsWith(`${ours.blockPageUrl}?`) ||
    url.startsWith(`${ours.blockPageUrl}#`);
  if (isBlockPage) {
    kinds.add('block page');
    if (sender.frameId === 0 && typeof sender.tab?.id === 'number' && sender.tab.id >= 0) {
      kinds.add('block page (top frame)');
    }
  } else if (
    ours.downloadPageUrl &&
    url.startsWith(`${ours.downloadPageUrl}?`) &&
    typeof sender.tab?.id === 'number' &&
    sender.tab.id >= 0
  ) {
    kinds.add('download page');
  } else if (url.startsWith(ours.extensionOrigin)) {
    kinds.add('extension page');
  } else if (typeof sender.tab?.id === 'number') {
    kinds.add('content script');
  }
  return kinds;
}

/** Each handler gets the typed request and the sender; its return type is the message's reply. */
export type Handlers<Ctx> = {
  [K in MessageType]: (request: { type: K } & Requests[K], sender: Ctx) => Promise<Replies[K]>;
};

export type Refusal = { refused: string };

/**
 * Check and route one message. Returns null for something that is not a Steward message (let
 * other listeners have it), a refusal for a sender that may not send it or a malformed request.
 */
export function dispatch<Ctx>(
  handlers: Handlers<Ctx>,
  message: unknown,
  kinds: ReadonlySet<SenderKind>,
  context: Ctx,
): Promise<Replies[MessageType]> | Refusal | null {
  if (!isObject(message) || typeof message.type !== 'string') return null;
  if (!Object.hasOwn(PROTOCOL, message.type)) return null;
  const type = message.type as MessageType;
  const spec: { from: readonly SenderKind[]; valid: (m: Record<string, unknown>) => boolean } =
    PROTOCOL[type];
  if (!spec.from.some((kind) => kinds.has(kind))) {
    return { refused: `${type} may only be sent by: ${spec.from.join(', ')}` };
  }
  if (!spec.valid(message)) return { refused: `${type}: the request is malformed` };
  const handler = handlers[type] as (m: unknown, sender: Ctx) => Promise<Replies[MessageType]>;
  return handler(message, context);
}

/**
 * A typed sender for one kind of context: `messenger<'content script'>(send)('webmail/policy', {})`.
 * `send` is the context's `browser.runtime.sendMessage` (this module imports no browser API).
 */
export function messenger<S extends SenderKind>(send: (message: unknown) => Promise<unknown>) {
  return <K extends MessagesFrom<S>>(type: K, request: Requests[K]): Promise<Replies[K]> =>
    send({ ...request, type }) as Promise<Replies[K]>;
}
