/**
 * The webmail adapters against the fixture pages (tests/fixtures/webmail/*.html), in Node with
 * linkedom: finding both compose windows, reading recipients, subject, body and attachments,
 * removing a recipient, and saying "not found" when the page changed. The same fixtures run in
 * real Chromium with the built extension in tests/e2e/send-warning.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ComposeHandle,
  snapshotOf,
  textOf,
  type WebmailAdapter,
} from '../../webmail/adapter.ts';
import { gmail } from '../../webmail/adapters/gmail.ts';
import { outlook } from '../../webmail/adapters/outlook.ts';
import { yahoo } from '../../webmail/adapters/yahoo.ts';

type FixtureWindow = {
  __fixture: { set(i: number, c: Record<string, unknown>): void };
  __sent: unknown[];
};

// The adapters check `instanceof HTMLInputElement` and dispatch MouseEvents, as in a browser.
beforeAll(() => {
  const { window } = parseHTML('<!doctype html><html><body></body></html>');
  const g = globalThis as Record<string, unknown>;
  const w = window as unknown as Record<string, unknown>;
  for (const name of [
    'HTMLElement',
    'HTMLInputElement',
    'HTMLTextAreaElement',
    'HTMLIFrameElement',
  ]) {
    g[name] ??= w[name];
  }
  g.MouseEvent ??= class extends (w.Event as typeof Event) {};
});

function load(service: string, query = '') {
  const html = readFileSync(`tests/fixtures/webmail/${service}.html`, 'utf8');
  const { window, document } = parseHTML(html);
  const location = new URL(`https://example.test/mail/${query}`);
  const script = document.querySelector('script')?.textContent ?? '';
  // Run the fixture's own script (chips, Send handlers, window.__sent) against this document.
  new Function('window', 'document', 'location', script)(window, document, location);
  const fixture = window as unknown as FixtureWindow;
  return { document, fixture };
}

const PUPIL = 'UPN: B801200005001\nNI: AB 12 34 56 C';

const cases: { name: string; adapter: WebmailAdapter }[] = [
  { name: 'gmail', adapter: gmail },
  { name: 'outlook', adapter: outlook },
  { name: 'yahoo', adapter: yahoo },
];

for (const { name, adapter } of cases) {
  describe(`${name} adapter on its fixture page`, () => {
    function setUp(query = '') {
      const { document, fixture } = load(name, query);
      fixture.__fixture.set(0, {
        to: ['head@stmarys-school.org.uk', 'jones.family@gmail.com'],
        cc: ['senco@stmarys-school.org.uk'],
        subject: 'Transfer',
        body: PUPIL,
        attachments: ['pupil list.xlsx'],
      });
      fixture.__fixture.set(1, {
        to: ['parent@example.com'],
        subject: 'Re: trip',
        body: 'Coach at 9',
      });
      return { document, fixture };
    }

    const byTo = (composes: ComposeHandle[], address: string) =>
      composes.find((c) => c.recipients()?.to.includes(address));

    it('finds both compose windows, each with its own Send', () => {
      const { document } = setUp();
      const composes = adapter.findComposes(document as unknown as Document);
      expect(composes).toHaveLength(2);
      for (const c of composes) expect(c.sendButtons()).toHaveLength(1);
      expect(composes[0]!.root).not.toBe(composes[1]!.root);
      expect(composes[0]!.root.contains(composes[1]!.root)).toBe(false);
    });

    it('reads recipients, subject, body (line by line) and attachment names', () => {
      const { document } = setUp();
      const c = byTo(
        adapter.findComposes(document as unknown as Document),
        'jones.family@gmail.com',
      );
      const read = snapshotOf(c!);
      expect(read).toEqual({
        ok: true,
        snapshot: {
          recipients: {
            to: ['head@stmarys-school.org.uk', 'jones.family@gmail.com'],
            cc: ['senco@stmarys-school.org.uk'],
            bcc: [],
          },
          subject: 'Transfer',
          body: PUPIL,
          attachmentNames: ['pupil list.xlsx'],
        },
      });
    });

    it('maps a Send button and an element inside a compose to that compose', () => {
      const { document } = setUp();
      const composes = adapter.findComposes(document as unknown as Document);
      const other = byTo(composes, 'parent@example.com')!;
      const send = other.sendButtons()[0]!;
      expect(adapter.sendControlOf(send)).toBe(send);
      expect(adapter.composeOf(send)?.root).toBe(other.root);
      expect(adapter.sendControlOf(other.root)).toBeNull();
    });

    it('removes one recipient the way staff would, and nothing else', () => {
      const { document } = setUp();
      const c = byTo(
        adapter.findComposes(document as unknown as Document),
        'jones.family@gmail.com',
      )!;
      expect(c.removeRecipient('Jones.Family@gmail.com')).toBe(true);
      expect(c.recipients()).toEqual({
        to: ['head@stmarys-school.org.uk'],
        cc: ['senco@stmarys-school.org.uk'],
        bcc: [],
      });
    });

    it('sends through the page’s own Send handler', () => {
      const { document, fixture } = setUp();
      const c = byTo(adapter.findComposes(document as unknown as Document), 'parent@example.com')!;
      expect(c.send()).toBe(true);
      expect(fixture.__sent).toHaveLength(1);
    });

    it('says "not found" when the recipient fields are renamed', () => {
      const { document } = setUp('?broken=to');
      const composes = adapter.findComposes(document as unknown as Document);
      expect(composes.length).toBeGreaterThan(0);
      for (const c of composes) {
        expect(snapshotOf(c)).toEqual({
          ok: false,
          problem: 'recipients_not_found',
        });
      }
    });
  });
}

describe('editor text', () => {
  it('keeps line breaks between blocks and includes hidden quoted text', () => {
    const { document } = parseHTML(
      '<div id="e"><div>UPN</div><div>B801200005001</div><div style="display:none"><blockquote>quoted AB 12 34 56 C</blockquote></div>line<br>break</div>',
    );
    expect(textOf(document.getElementById('e')!)).toBe(
      'UPN\nB801200005001\nquoted AB 12 34 56 C\nline\nbreak',
    );
  });
});
