/**
 * The page's side of the worker's direct line (lib/direct-line.ts): Steward's own pages ask
 * through the browser's messaging and, for the few reads allowed there, through the service
 * worker's own channel when the browser's messaging does not deliver.
 */
import { browser } from 'wxt/browser';
import {
  answerOf,
  askWithDirectLine,
  DIRECT_LINE_ANSWER_LIMIT_MS,
  RUNTIME_ANSWER_LIMIT_MS,
  STUCK_AFTER_MS,
  stillUnanswered,
} from '../lib/direct-line.ts';
import { noAnswerInTime } from '../lib/worker-repair.ts';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The browser's answer to the last ask the direct line answered first, still to come. */
let browserAnswerAwaited: Promise<unknown> | undefined;

/**
 * Whether the browser's messaging is stuck for this browser session: the direct line answered an
 * ask and the browser still had not answered it `STUCK_AFTER_MS` later. Only a browser restart
 * brings it back (seen in session 41), so a page then tells staff to restart when they can. A
 * worker that was only slow (a first start on an old laptop) answers meanwhile: no restart asked.
 */
export function browserMessagingStuck(): Promise<boolean> {
  if (!browserAnswerAwaited) return Promise.resolve(false);
  return stillUnanswered(browserAnswerAwaited, sleep, STUCK_AFTER_MS);
}

/** Post to the active worker of Steward's own registration and wait for its answer. */
async function postToWorker(message: unknown): Promise<unknown> {
  const worker = (await navigator.serviceWorker?.getRegistration('/'))?.active;
  if (!worker) throw new Error("Steward's worker is not registered or not active");
  const channel = new MessageChannel();
  const posted = new Promise<unknown>((resolve) => {
    channel.port1.onmessage = (event) => {
      channel.port1.close();
      resolve(event.data);
    };
  });
  worker.postMessage(message, [channel.port2]);
  return answerOf(await posted);
}

/** `browser.runtime.sendMessage`, with the direct line for the reads allowed on it. */
export function sendToWorker(message: unknown): Promise<unknown> {
  let browserAnswer: Promise<unknown> | undefined;
  return askWithDirectLine(message, {
    viaRuntime: (m) => {
      browserAnswer = browser.runtime.sendMessage(m);
      return browserAnswer;
    },
    viaDirectLine: async (m) => {
      const answer = await postToWorker(m);
      browserAnswerAwaited = browserAnswer;
      console.warn(
        "[steward] the browser's messaging did not answer; the worker's direct line did",
      );
      return answer;
    },
    wait: sleep,
    noAnswer: () => noAnswerInTime(RUNTIME_ANSWER_LIMIT_MS + DIRECT_LINE_ANSWER_LIMIT_MS),
  });
}
