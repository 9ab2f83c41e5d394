/**
 * The last few scans' reports, found again by exactly what was scanned: the webmail page reads a
 * long draft while the member of staff pauses (its idle pre-read), so that Send, which must decide
 * inside the click, finds the report ready instead of scanning 100 KB again. Pure.
 *
 * Only an identical message finds a report: the same subject, body and attachment names, character
 * for character, under the same compiled policy (the same object: a new policy or a pattern engine
 * arriving compiles a new one) and on the same day (dates of birth are read against the year). A
 * word typed after the pre-read is a different body, so Send scans again: nothing typed late can
 * hide behind an earlier answer. Comparing two equal 100 KB strings costs microseconds.
 */

export type ScannedMessage = {
  subject: string;
  body: string;
  attachmentNames: readonly string[];
};

type Entry<Report> = {
  message: ScannedMessage;
  /** The compiled policy the scan ran under (compared by identity). */
  policy: object;
  day: string;
  report: Report;
};

/**
 * Drafts at least this long are pre-read while idle: below it a scan at Send costs a few
 * milliseconds and reading ahead would only spend CPU (about 5 ms on this machine at 20,000
 * characters; a 100 KB draft takes 25-35 ms, several times that on a school's oldest laptop).
 */
export const PRE_READ_MIN_CHARS = 20_000;

/** How long typing must pause before the pre-read (then it waits for the page to be idle too). */
export const PRE_READ_PAUSE_MS = 1_000;

/** Reports kept per page: a draft, its reply, a second compose. */
export const REMEMBERED_SCANS = 3;

function sameMessage(a: ScannedMessage, b: ScannedMessage): boolean {
  if (a.subject !== b.subject || a.body !== b.body) return false;
  if (a.attachmentNames.length !== b.attachmentNames.length) return false;
  for (let i = 0; i < a.attachmentNames.length; i++) {
    if (a.attachmentNames[i] !== b.attachmentNames[i]) return false;
  }
  return true;
}

/** The local calendar day of `at`, the finest grain of time a scan reads. */
export const dayOf = (at: Date): string =>
  `${at.getFullYear()}-${at.getMonth() + 1}-${at.getDate()}`;

export class ScanMemo<Report> {
  readonly #entries: Entry<Report>[] = [];
  readonly #size: number;

  constructor(size = REMEMBERED_SCANS) {
    this.#size = size;
  }

  /** The report of an earlier scan of exactly this message under this policy today, if kept. */
  find(message: ScannedMessage, policy: object, day: string): Report | undefined {
    const i = this.#entries.findIndex(
      (e) => e.policy === policy && e.day === day && sameMessage(e.message, message),
    );
    if (i < 0) return undefined;
    const [entry] = this.#entries.splice(i, 1);
    this.#entries.unshift(entry!);
    return entry!.report;
  }

  /** Keeps the report (a copy of the message's attachment names), forgetting the oldest. */
  keep(message: ScannedMessage, policy: object, day: string, report: Report): void {
    const copy = {
      subject: message.subject,
      body: message.body,
      attachmentNames: [...message.attachmentNames],
    };
    const i = this.#entries.findIndex((e) => e.policy === policy && sameMessage(e.message, copy));
    if (i >= 0) this.#entries.splice(i, 1);
    this.#entries.unshift({ message: copy, policy, day, report });
    this.#entries.length = Math.min(this.#entries.length, this.#size);
  }

  get size(): number {
    return this.#entries.length;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
