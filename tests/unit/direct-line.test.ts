import { describe, expect, it } from 'vitest';
import {
  answerOf,
  answerOnDirectLine,
  askWithDirectLine,
  DIRECT_LINE_ANSWER_LIMIT_MS,
  directLineSender,
  heardOwnMark,
  isDirectLineMessage,
  RUNTIME_ANSWER_LIMIT_MS,
  STUCK_AFTER_MS,
  stillUnanswered,
} from '../../lib/direct-line.ts';
import { classifySender, dispatch, type Handlers, type SenderFacts } from '../../lib/messages.ts';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;
const BLOCK_PAGE = `${ORIGIN}blocked.html`;
const never = () => new Promise<never>(() => undefined);

/** The worker's router, as background.ts wires it, with handlers that record what ran. */
function router(ran: string[]) {
  const handlers = new Proxy(
    {},
    {
      get: (_target, type: string) => async (m: { url?: string }) => {
        ran.push(type);
        return { outcome: 'blocked', url: m.url };
      },
    },
  ) as Handlers<SenderFacts>;
  return (message: unknown, sender: SenderFacts) =>
    dispatch(
      handlers,
      message,
      classifySender(sender, {
        extensionId: ID,
        extensionOrigin: ORIGIN,
        blockPageUrl: BLOCK_PAGE,
      }),
      sender,
    );
}

describe("the worker's direct line: what it accepts", () => {
  it('only the reads that need no tab and change nothing', () => {
    expect(isDirectLineMessage({ type: 'blockPage/verdict', url: 'https://x/' })).toBe(true);
    for (const type of ['blockPage/continue', 'blockPage/opened', 'options/setPolicy', 'x']) {
      expect(isDirectLineMessage({ type, url: 'https://x/' })).toBe(false);
    }
    expect(isDirectLineMessage(null)).toBe(false);
    expect(isDirectLineMessage('blockPage/verdict')).toBe(false);
  });

  it("takes the sender from the browser's facts about the page, with no tab", () => {
    expect(
      directLineSender({ url: `${BLOCK_PAGE}#https://x/`, frameType: 'top-level' }, ID),
    ).toEqual({ id: ID, url: `${BLOCK_PAGE}#https://x/`, frameId: 0 });
    expect(directLineSender({ url: BLOCK_PAGE, frameType: 'nested' }, ID).frameId).not.toBe(0);
  });

  it('answers the block page its verdict, top level or framed', async () => {
    const ran: string[] = [];
    const message = { type: 'blockPage/verdict', url: 'https://www.bet365.com/' };
    for (const frameType of ['top-level', 'nested']) {
      const answer = await answerOnDirectLine(
        message,
        { url: `${BLOCK_PAGE}?c=gambling&m=block#https://www.bet365.com/`, frameType },
        ID,
        router(ran),
      );
      expect(answer).toEqual({ answer: { outcome: 'blocked', url: 'https://www.bet365.com/' } });
    }
    expect(ran).toEqual(['blockPage/verdict', 'blockPage/verdict']);
  });

  it('refuses Continue and counting, even from the top-level block page: they need the tab', async () => {
    const ran: string[] = [];
    for (const type of ['blockPage/continue', 'blockPage/opened']) {
      const answer = await answerOnDirectLine(
        { type, url: 'https://www.reddit.com/' },
        { url: `${BLOCK_PAGE}#https://www.reddit.com/`, frameType: 'top-level' },
        ID,
        router(ran),
      );
      expect(answer).toEqual({ refused: 'not a message for the direct line' });
    }
    expect(ran).toEqual([]);
  });

  it("refuses the verdict to another of Steward's pages: the kind comes from the page's address", async () => {
    const ran: string[] = [];
    const answer = await answerOnDirectLine(
      { type: 'blockPage/verdict', url: 'https://www.bet365.com/' },
      { url: `${ORIGIN}popup.html?blocked.html`, frameType: 'top-level' },
      ID,
      router(ran),
    );
    expect(answer).toEqual({ refused: 'blockPage/verdict may only be sent by: block page' });
    expect(ran).toEqual([]);
  });

  it("answers the options page's reads and its rule-list refresh, and refuses them to the block page", async () => {
    const ran: string[] = [];
    for (const type of ['options/testUrl', 'options/reportingState', 'options/refreshRuleList']) {
      const message = { type, url: 'https://www.bet365.com/' };
      const fromOptions = await answerOnDirectLine(
        message,
        { url: `${ORIGIN}options.html`, frameType: 'top-level' },
        ID,
        router(ran),
      );
      expect(fromOptions).toHaveProperty('answer');
      const fromBlockPage = await answerOnDirectLine(
        message,
        { url: `${BLOCK_PAGE}#https://www.bet365.com/`, frameType: 'top-level' },
        ID,
        router(ran),
      );
      expect(fromBlockPage).toEqual({ refused: `${type} may only be sent by: extension page` });
    }
    expect(ran).toEqual(['options/testUrl', 'options/reportingState', 'options/refreshRuleList']);
  });

  it('never sends reports on the direct line: asked twice, they could go twice', () => {
    expect(isDirectLineMessage({ type: 'options/sendReportsNow' })).toBe(false);
  });

  it('refuses a malformed request', async () => {
    const answer = await answerOnDirectLine(
      { type: 'blockPage/verdict', url: 42 },
      { url: BLOCK_PAGE, frameType: 'top-level' },
      ID,
      router([]),
    );
    expect(answer).toEqual({ refused: 'blockPage/verdict: the request is malformed' });
  });

  it("passes a handler's failure back as a refusal, not silence", async () => {
    const answer = await answerOnDirectLine(
      { type: 'blockPage/verdict', url: 'https://x/' },
      { url: BLOCK_PAGE, frameType: 'top-level' },
      ID,
      () => Promise.reject(new Error('the verdict index could not be read')),
    );
    expect(answer).toEqual({ refused: 'the verdict index could not be read' });
  });

  it("the page reads the worker's answer, and a refusal or anything else as an error", () => {
    expect(answerOf({ answer: { outcome: 'blocked' } })).toEqual({ outcome: 'blocked' });
    expect(answerOf({ answer: null })).toBeNull();
    expect(() => answerOf({ refused: 'no' })).toThrow(/refused on the direct line: no/);
    expect(() => answerOf('pong')).toThrow(/unreadable/);
    expect(() => answerOf(null)).toThrow(/unreadable/);
  });
});

describe('a page asking: the browsers messaging first, the direct line when it is silent', () => {
  /** Waits that resolve at once but record their length, so the order is checked, not the clock. */
  function line(options: { runtime: () => Promise<unknown>; direct: () => Promise<unknown> }) {
    const asked: string[] = [];
    return {
      asked,
      line: {
        viaRuntime: () => {
          asked.push('runtime');
          return options.runtime();
        },
        viaDirectLine: () => {
          asked.push('direct line');
          return options.direct();
        },
        wait: async (ms: number) => {
          asked.push(`wait ${ms}`);
          // Let an answer that is already there win the race first.
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
        noAnswer: () => new Error('no answer'),
      },
    };
  }
  const verdict = { type: 'blockPage/verdict', url: 'https://x/' };

  it('takes the browser answer and never uses the direct line when it answers', async () => {
    const { asked, line: l } = line({
      runtime: async () => 'from the browser',
      direct: async () => 'from the direct line',
    });
    await expect(askWithDirectLine(verdict, l)).resolves.toBe('from the browser');
    expect(asked).toEqual(['runtime', `wait ${RUNTIME_ANSWER_LIMIT_MS}`]);
  });

  it('asks on the direct line when the browser is silent (the lost registration, repaired)', async () => {
    const { asked, line: l } = line({ runtime: never, direct: async () => 'from the direct line' });
    await expect(askWithDirectLine(verdict, l)).resolves.toBe('from the direct line');
    expect(asked).toEqual([
      'runtime',
      `wait ${RUNTIME_ANSWER_LIMIT_MS}`,
      'direct line',
      `wait ${DIRECT_LINE_ANSWER_LIMIT_MS}`,
    ]);
  });

  it('asks on the direct line when the browser says nobody is listening', async () => {
    const { line: l } = line({
      runtime: () =>
        Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')),
      direct: async () => 'from the direct line',
    });
    await expect(askWithDirectLine(verdict, l)).resolves.toBe('from the direct line');
  });

  it('fails (so the page asks again) when neither line answers, instead of waiting for ever', async () => {
    const { line: l } = line({
      runtime: never,
      direct: () => Promise.reject(new Error('no active worker')),
    });
    await expect(askWithDirectLine(verdict, l)).rejects.toThrow('no answer');
  });

  it('never puts Continue on the direct line: it waits for the browser as before', async () => {
    const { asked, line: l } = line({
      runtime: async () => 'continued',
      direct: async () => 'must not be used',
    });
    await expect(
      askWithDirectLine({ type: 'blockPage/continue', url: 'https://x/' }, l),
    ).resolves.toBe('continued');
    expect(asked).toEqual(['runtime']);
  });
});

describe("when a page calls the browser's messaging stuck (and asks staff to restart)", () => {
  const soon = (ms: number) =>
    new Promise<void>((resolve) => setTimeout(resolve, ms === STUCK_AFTER_MS ? 20 : ms));

  it('only when the browser is still silent after the wait', async () => {
    await expect(stillUnanswered(never(), soon, STUCK_AFTER_MS)).resolves.toBe(true);
  });

  it('not when the browser answered meanwhile (a worker that was only slow)', async () => {
    await expect(stillUnanswered(Promise.resolve({}), soon, STUCK_AFTER_MS)).resolves.toBe(false);
    const late = new Promise((resolve) => setTimeout(resolve, 5));
    await expect(stillUnanswered(late, soon, STUCK_AFTER_MS)).resolves.toBe(false);
  });

  it('not when the browser refused: a refusal is an answer, only silence counts', async () => {
    await expect(
      stillUnanswered(
        Promise.reject(new Error('Receiving end does not exist')),
        soon,
        STUCK_AFTER_MS,
      ),
    ).resolves.toBe(false);
  });
});

describe("the worker's check that it hears the browser", () => {
  it("counts only this start's own mark", () => {
    expect(heardOwnMark('mark-1', 'mark-1')).toBe(true);
    expect(heardOwnMark('mark-0', 'mark-1')).toBe(false);
    expect(heardOwnMark(undefined, 'mark-1')).toBe(false);
    expect(heardOwnMark({ mark: 'mark-1' }, 'mark-1')).toBe(false);
  });
});
