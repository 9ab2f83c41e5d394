/**
 * What the block page offers staff, from the worker's verdict and nothing else. Pure, so the
 * choice is tested in Node; components/BlockPage.tsx only renders it.
 *
 * - Blocked or warned by a category the school controls: "Ask for access" (email, the school's
 *   form, or the admin server's request form), and Continue on a warning.
 * - Blocked by a category the signed rule list locks (IWF/CTIRU-style): nobody in school can open
 *   it, so no access request and no Continue. Staff who think the block is wrong are asked to
 *   report it, through the same channel the school set for access requests but labelled as a
 *   wrong-block report, so IT or the DSL can take it to the filtering provider.
 * - Framed by a web page: no Continue and no request form (nothing that acts for the member of
 *   staff); the email and form links, which staff send themselves, stay.
 *
 * The worker still decides every action when it is pressed (a forged request for a locked site is
 * refused there); this only keeps the page from offering what cannot be granted.
 */
import type { BlockPageVerdict } from './messages.ts';

export type BlockPageOffers = {
  /** en-GB message key for the lead paragraph. */
  lead: 'warn_lead' | 'block_lead' | 'block_lead_extremism' | 'block_lead_locked';
  /** `mailto:` to ask for access (the policy's accessRequest.email). */
  askByEmail: string | null;
  /** The school's own access-request form (accessRequest.url). */
  askOnline: string | null;
  /** The admin server's request form (accessRequest.server / serverUrl). */
  askThroughServer: boolean;
  /** Locked only: how to report a wrong block (email, else the school's form), or null. */
  reportWrongBlock: { href: string; external: boolean } | null;
  /** Continue on a warning (top frame only). */
  offerContinue: boolean;
};

export function blockPageOffers(
  verdict: BlockPageVerdict,
  /** "Site, category, when" as the page shows them, for the email body. */
  details: string,
  framed: boolean,
): BlockPageOffers {
  const decided = verdict.outcome === 'blocked' || verdict.outcome === 'warned';
  const locked = verdict.outcome === 'blocked' && verdict.locked === true;
  const warned = verdict.outcome === 'warned';
  const ask = verdict.accessRequest;
  const subjectSite = verdict.host ?? (decided ? verdict.category : 'a site');
  const mail = (subject: string, prompt: string) =>
    ask.email
      ? `mailto:${ask.email}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(`${details}\n\n${prompt}\n`)}`
      : null;

  if (locked) {
    const byEmail = mail(
      `Wrong block report: ${subjectSite}`,
      "This site is on the filtering provider's locked list. Why I think it is blocked wrongly:",
    );
    return {
      lead: 'block_lead_locked',
      askByEmail: null,
      askOnline: null,
      askThroughServer: false,
      reportWrongBlock: byEmail
        ? { href: byEmail, external: false }
        : ask.url
          ? { href: ask.url, external: true }
          : null,
      offerContinue: false,
    };
  }
  return {
    lead: warned
      ? 'warn_lead'
      : decided && verdict.category === 'extremism'
        ? 'block_lead_extremism'
        : 'block_lead',
    askByEmail: mail(`Access request: ${subjectSite}`, 'Why I need it for my work:'),
    askOnline: ask.url ?? null,
    askThroughServer: !framed && Boolean(ask.server || ask.serverUrl),
    reportWrongBlock: null,
    offerContinue: warned && !framed,
  };
}
