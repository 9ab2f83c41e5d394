/**
 * Reading the signed-in address from a webmail page (DOM, content script). Each reader returns the
 * address or null ("can't tell"); the classification (lib/mailbox/classify.ts) treats null on a
 * shared host as unknown and the content script reports it as a health signal.
 *
 * What we rely on (checked against the fixture pages in tests/fixtures/mailbox/, not against live
 * services from here; each is the most stable signal we know of, in order):
 *
 * - Gmail: the document title, "Inbox (3) - name@domain - Gmail" (Workspace branding may replace
 *   the last part: "… - name@school.example - St Mary's Mail"). We take the ` - `-separated part
 *   that is exactly an address, last first (a subject in the title may contain one too). Fallback:
 *   the account button's label, "Google Account: Name (name@domain)".
 * - Outlook on the web: the account manager ("me control"): `#mectrl_currentAccount_secondary`
 *   (the address under the name in its flyout), then the trigger button `#mectrl_main_trigger` /
 *   `#O365_MainLink_Me` whose `aria-label` or `title` holds the address on most tenants
 *   ("Account manager for Name (name@domain)"), then the folder pane's top-level node, which is
 *   named after the mailbox address (`[role=tree] [role=treeitem][aria-level="1"]` title/label).
 * - Roundcube (elastic): the header's `.username` (the IMAP login, an address on most school
 *   installs), then the compose page's From (`select#_from` selected option, "Name <addr>").
 */

const ADDRESS = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,63}/gi;
const EXACT = /^[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,63}$/i;

function lastAddressIn(text: string | null | undefined): string | null {
  if (!text) return null;
  const all = text.match(ADDRESS);
  return all && all.length > 0 ? all[all.length - 1]!.toLowerCase() : null;
}

export function gmailAccountFromTitle(title: string): string | null {
  const parts = title.split(/\s+[-–—]\s+/).map((p) => p.trim());
  for (let i = parts.length - 1; i >= 0; i--) {
    if (EXACT.test(parts[i]!)) return parts[i]!.toLowerCase();
  }
  return null;
}

export function gmailAccount(doc: Document): string | null {
  const fromTitle = gmailAccountFromTitle(doc.title);
  if (fromTitle) return fromTitle;
  for (const el of doc.querySelectorAll('[aria-label^="Google Account:"]')) {
    const found = lastAddressIn(el.getAttribute('aria-label'));
    if (found) return found;
  }
  return null;
}

export function outlookAccount(doc: Document): string | null {
  const secondary = doc.querySelector('#mectrl_currentAccount_secondary');
  const fromFlyout = lastAddressIn(secondary?.textContent);
  if (fromFlyout) return fromFlyout;
  for (const el of doc.querySelectorAll('#mectrl_main_trigger, #O365_MainLink_Me')) {
    const found =
      lastAddressIn(el.getAttribute('aria-label')) ?? lastAddressIn(el.getAttribute('title'));
    if (found) return found;
  }
  for (const el of doc.querySelectorAll('[role="tree"] [role="treeitem"][aria-level="1"]')) {
    const label = el.getAttribute('title') ?? el.getAttribute('aria-label') ?? '';
    const found = lastAddressIn(label);
    if (found) return found;
  }
  return null;
}

export function roundcubeAccount(doc: Document): string | null {
  const user = doc.querySelector('.header-title.username, .username');
  const fromHeader = lastAddressIn(user?.textContent);
  if (fromHeader) return fromHeader;
  const from = doc.querySelector('select#_from') as HTMLSelectElement | null;
  if (!from) return null;
  const option =
    from.selectedOptions?.[0] ??
    from.querySelector('option[selected]') ??
    from.querySelector('option');
  return lastAddressIn(option?.textContent);
}

export type AccountService = 'gmail' | 'outlook' | 'yahoo' | 'roundcube' | 'consumer';

/** The address this page is signed in to, or null when it cannot be read (or is not needed). */
export function signedInAccount(service: AccountService, doc: Document): string | null {
  switch (service) {
    case 'gmail':
      return gmailAccount(doc);
    case 'outlook':
      return outlookAccount(doc);
    case 'roundcube':
      return roundcubeAccount(doc);
    default:
      // Consumer-only services are personal by host; their account does not change that.
      return null;
  }
}
