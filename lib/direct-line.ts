/**
 * The worker's direct line: how Steward's own pages still reach the service worker when the
 * browser's extension messaging no longer delivers to it. Pure: the rules; the page side is
 * `components/worker-line.ts`, the worker side is wired in `entrypoints/background.ts`.
 *
 * Why (seen in Debian's Chromium 156, session 41): after a lost worker registration is registered
 * again by a page (lib/worker-repair.ts), the worker runs and puts the rules in force, but for the
 * rest of that browser session the browser delivers it no extension message or event: a page's
 * `runtime.sendMessage` and `runtime.connect` go unanswered (new pages and new tabs too, and after
 * the worker stops and starts again), `storage.onChanged` is not delivered. Chromium's extension
 * task queue keeps waiting for a worker start it will never see. So a block page open then stayed
 * blank. A browser restart brings messaging back.
 *
 * What still works is the service worker's own channel: an extension page gets its origin's
 * registration and posts to the active worker with a `MessageChannel`, and the worker answers on
 * that port. Only a page of Steward's own origin can post to Steward's worker (a web page or a
 * content script cannot get hold of it), and the browser, not the page, says which page is posting
 * (`Client.url`, `Client.frameType`). The worker derives the sender's kind from those facts with
 * the same `classifySender` as for any message. There is no tab on this line, so nothing that
 * needs a tab (counting a block page, Continue) can be asked on it.
 *
 * Only messages that do no harm answered twice are accepted here (`DIRECT_LINE_MESSAGES`): a
 * healthy but slow worker may get the same request both ways.
 *
 * The worker also checks at every start that it hears its own storage change event
 * (platform/worker-hearing.ts), so the popup can ask staff to restart the browser.
 */
import type { MessageType, Refusal, SenderFacts } from './messages.ts';

/**
 * What a page may ask on the direct line: what needs no tab and does no harm asked twice. The block
 * page's verdict; the options page's "Test a site" and reporting state (reads), and its "Refresh
 * now" for the rule list (single-flight, and the one way left to update the list in such a session:
 * no alarm reaches the worker).
 */
export const DIRECT_LINE_MESSAGES = [
  'blockPage/verdict',
  'options/testUrl',
  'options/reportingState',
  'options/refreshRuleList',
] as const satisfies readonly MessageType[];

/** How long a page waits for the browser's messaging before it asks on the direct line. */
export const RUNTIME_ANSWER_LIMIT_MS = 3_000;
/** How long a page waits for an answer on the direct line. */
export const DIRECT_LINE_ANSWER_LIMIT_MS = 5_000;

export function isDirectLineMessage(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const type = (message as { type?: unknown }).type;
  return DIRECT_LINE_MESSAGES.some((allowed) => allowed === type);
}

/**
 * The sender of a direct-line message, from the browser's facts about the posting page (its
 * `Client`). `frameId` 0 only for a top-level page; no tab: the line has none.
 */
export function directLineSender(
  client: { url: string; frameType: string },
  extensionId: string,
): SenderFacts {
  return { id: extensionId, url: client.url, frameId: client.frameType === 'top-level' ? 0 : -1 };
}

/**
 * How long after the direct line answered a page still waits for the browser's own answer before
 * it calls the browser's messaging stuck (and asks staff to restart the browser).
 */
export const STUCK_AFTER_MS = 10_000;

/**
 * Whether `pending` (the browser's answer to an ask the direct line answered first) is still
 * unsettled after `ms`. A refusal is an answer: only silence counts (what the stuck messaging
 * gives in Debian's Chromium).
 */
export function stillUnanswered(
  pending: Promise<unknown>,
  wait: (ms: number) => Promise<void>,
  ms: number,
): Promise<boolean> {
  return Promise.race([
    pending.then(
      () => false,
      () => false,
    ),
    wait(ms).then(() => true),
  ]);
}

/** How long the worker waits for its own storage change event before it calls itself unheard. */
export const HEARING_LIMIT_MS = 10_000;

/** `storage.session` `browserMessagingStuck`: the worker heard no event of its own since then. */
export type MessagingStuck = { since: number };

/** Whether a `storage.session` change is the worker's own mark of this start. */
export function heardOwnMark(changed: unknown, mark: string): boolean {
  return typeof changed === 'string' && changed === mark;
}

/** What the worker posts back on the message's port. */
export type DirectLineAnswer = { answer: unknown } | { refused: string };

/**
 * The worker's side: check and route one direct-line message. `client` is the browser's
 * `event.source` (the posting page); `route` checks the sender's kind and runs the handler, as for
 * the browser's messaging (`dispatch` with `classifySender`).
 */
export async function answerOnDirectLine(
  data: unknown,
  client: { url: string; frameType: string },
  extensionId: string,
  route: (message: unknown, sender: SenderFacts) => Promise<unknown> | Refusal | null,
): Promise<DirectLineAnswer> {
  if (!isDirectLineMessage(data)) return { refused: 'not a message for the direct line' };
  const routed = route(data, directLineSender(client, extensionId));
  if (routed === null) return { refused: 'not a Steward message' };
  if ('refused' in routed) return { refused: routed.refused };
  try {
    return { answer: await routed };
  } catch (error) {
    return { refused: error instanceof Error ? error.message : String(error) };
  }
}

/** The page's side: the answer posted back, or the refusal as an error. */
export function answerOf(posted: unknown): unknown {
  if (typeof posted === 'object' && posted !== null) {
    if ('answer' in posted) return posted.answer;
    if ('refused' in posted && typeof posted.refused === 'string') {
      throw new Error(`Steward's worker refused on the direct line: ${posted.refused}`);
    }
  }
  throw new Error("Steward's worker answered the direct line with something unreadable");
}

/** What stands in for "no answer yet". */
const NO_ANSWER = Symbol('no answer');

/**
 * Ask through the browser's messaging. A message that may go on the direct line and gets no
 * answer within `RUNTIME_ANSWER_LIMIT_MS` (or a refusal such as "Receiving end does not exist") is
 * asked on the direct line too, and the first answer of either is taken; if neither answers within
 * `DIRECT_LINE_ANSWER_LIMIT_MS` more, the ask fails with `noAnswer`, so the page can ask again.
 * Any other message simply waits for the browser's messaging, as before.
 */
export async function askWithDirectLine(
  message: unknown,
  line: {
    viaRuntime: (message: unknown) => Promise<unknown>;
    viaDirectLine: (message: unknown) => Promise<unknown>;
    wait: (ms: number) => Promise<void>;
    noAnswer: () => Error;
  },
): Promise<unknown> {
  const runtime = line.viaRuntime(message);
  if (!isDirectLineMessage(message)) return runtime;
  const first = await Promise.race([
    runtime.catch(() => NO_ANSWER),
    line.wait(RUNTIME_ANSWER_LIMIT_MS).then(() => NO_ANSWER),
  ]);
  if (first !== NO_ANSWER) return first;
  const never = new Promise<never>(() => undefined);
  return Promise.race([
    runtime.catch(() => never),
    line.viaDirectLine(message).catch(() => never),
    line.wait(DIRECT_LINE_ANSWER_LIMIT_MS).then(() => {
      throw line.noAnswer();
    }),
  ]);
}
