import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import {
  gmailAccount,
  gmailAccountFromTitle,
  outlookAccount,
  roundcubeAccount,
} from '../../../webmail/mailbox/account.ts';

describe('Gmail account from the title', () => {
  it.each([
    ['Inbox (3) - jo.smith@gmail.com - Gmail', 'jo.smith@gmail.com'],
    [
      'Inbox - Teacher@StMarys-School.org.uk - St Mary’s School Mail',
      'teacher@stmarys-school.org.uk',
    ],
    ['Trip to the coast - jo@gmail.com - Gmail', 'jo@gmail.com'],
    // A subject with an address in it: the account is the last part that is exactly an address.
    ['Re: write to bob@example.org - jo@gmail.com - Gmail', 'jo@gmail.com'],
    ['bob@example.org - jo@gmail.com - Gmail', 'jo@gmail.com'],
  ])('%s → %s', (title, account) => {
    expect(gmailAccountFromTitle(title)).toBe(account);
  });

  it.each(['Gmail', 'Loading…', 'Inbox (3) - Gmail', ''])('%s → cannot tell', (title) => {
    expect(gmailAccountFromTitle(title)).toBeNull();
  });
});

describe('account readers on page shapes (linkedom)', () => {
  const doc = (html: string) =>
    parseHTML(`<!doctype html><html><body>${html}</body></html>`).document as unknown as Document;

  it('Gmail falls back to the account button when the title has no address', () => {
    const d = doc('<a aria-label="Google Account: Jo Smith (jo@gmail.com)">JS</a>');
    d.title = 'Gmail';
    expect(gmailAccount(d)).toBe('jo@gmail.com');
  });

  it('Outlook: account manager flyout, then trigger label, then folder pane root', () => {
    expect(
      outlookAccount(doc('<div id="mectrl_currentAccount_secondary">Head@School.example</div>')),
    ).toBe('head@school.example');
    expect(
      outlookAccount(
        doc(
          '<button id="mectrl_main_trigger" aria-label="Account manager for Jo (jo@outlook.com)">',
        ),
      ),
    ).toBe('jo@outlook.com');
    expect(
      outlookAccount(
        doc(
          '<div role="tree"><div role="treeitem" aria-level="1" title="office@school.example">x</div></div>',
        ),
      ),
    ).toBe('office@school.example');
    expect(
      outlookAccount(doc('<button id="mectrl_main_trigger" aria-label="Account manager for Jo">')),
    ).toBeNull();
  });

  it('Roundcube: header username, then the From of a compose', () => {
    expect(
      roundcubeAccount(doc('<span class="header-title username">teacher@school.example</span>')),
    ).toBe('teacher@school.example');
    expect(
      roundcubeAccount(
        doc(
          '<select id="_from"><option value="1" selected>Mr Patel &lt;patel@school.example&gt;</option></select>',
        ),
      ),
    ).toBe('patel@school.example');
    expect(roundcubeAccount(doc('<p>login</p>'))).toBeNull();
  });
});
