/**
 * The page a blocked or warned navigation lands on. It only asks: it sends the blocked URL (from
 * its fragment) to the service worker and shows the worker's verdict, derived from the rules in
 * force. Category, mode and clause never come from its own address (`?c=…&m=…` is there for
 * people and logs, and is not read). Continue is shown only when the worker says "warned", and the
 * worker checks again when it is pressed. Framed by a web page, it explains but offers no actions.
 * Everything is shown as text (Preact escapes it); nothing is ever rendered as HTML.
 */
import { useEffect, useState } from 'preact/hooks';
import { blockPageOffers } from '../lib/block-page-offers.ts';
import { type BlockPageVerdict, messenger } from '../lib/messages.ts';
import { AccessRequestForm } from './AccessRequestForm.tsx';
import { categoryLabel, personalUseOpensText, t } from './i18n.ts';
import { StopPageShell, whenText } from './StopPageShell.tsx';
import { browserMessagingStuck, sendToWorker } from './worker-line.ts';

// The verdict is also asked on the worker's direct line when the browser's messaging does not
// deliver (lib/direct-line.ts); counting and Continue need the tab, so only the browser's.
const send = messenger<'block page' | 'block page (top frame)'>(sendToWorker);

/** How long Continue waits for the worker before saying it could not open the site. */
const CONTINUE_ANSWER_LIMIT_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The URL that was blocked: the fragment the redirect rule wrote, or null. */
export function blockedUrlOf(location: { hash: string }): string | null {
  return location.hash.length > 1 ? location.hash.slice(1) : null;
}

/** A reload of the block page is not a new navigation (the worker also counts once per tab). */
function isReload(): boolean {
  const [entry] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
  return entry?.type === 'reload' || entry?.type === 'back_forward';
}

export function BlockPage({ url }: { url: string | null }) {
  const [verdict, setVerdict] = useState<BlockPageVerdict | null>(null);
  const [copied, setCopied] = useState(false);
  const [continueFailed, setContinueFailed] = useState<string | null>(null);
  const [needsRestart, setNeedsRestart] = useState(false);
  const [openedAt] = useState(() => new Date());
  // A web page can frame this page; it then explains the block and offers nothing to press.
  const framed = window.top !== window;

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      const reply = await send('blockPage/verdict', { url: url ?? '' }).catch(() => null);
      if (cancelled) return;
      if (!reply || reply.outcome === 'applying') {
        // The rules are still being applied (a fresh install): ask again shortly.
        timer = setTimeout(() => void ask(), 500);
        if (reply) setVerdict(reply);
        return;
      }
      setVerdict(reply);
      void browserMessagingStuck().then((stuck) => !cancelled && setNeedsRestart(stuck));
      if (!framed && (reply.outcome === 'blocked' || reply.outcome === 'warned') && !isReload()) {
        void send('blockPage/opened', { url: reply.url }).catch(() => undefined);
      }
    };
    void ask();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [url, framed]);

  const warn = verdict?.outcome === 'warned';
  const decided = verdict?.outcome === 'blocked' || verdict?.outcome === 'warned';

  useEffect(() => {
    document.title = `${t(warn ? 'warn_title' : 'block_title')} – ${t('extensionName')}`;
  }, [warn]);

  if (verdict === null) {
    return <main class="block-page is-block" aria-busy="true" />;
  }

  const host = verdict.host;
  const label = decided
    ? categoryLabel(
        verdict.category,
        verdict.categoryLabel ? { [verdict.category]: verdict.categoryLabel } : {},
      )
    : '—';
  const clause = decided ? (verdict.clause ?? t('block_clause_default')) : null;
  const when = whenText(openedAt);
  const details = [
    `${t('block_site')}: ${host ?? '—'}`,
    `${t('block_category')}: ${label}`,
    `${t('block_when')}: ${when}`,
  ].join('\n');
  const ask = verdict.accessRequest;
  const offers = blockPageOffers(verdict, details, framed);
  const mailto = offers.askByEmail;
  const locked = offers.lead === 'block_lead_locked';
  const canGoBack = !framed && history.length > 1;

  const copyDetails = async () => {
    await navigator.clipboard.writeText(details);
    setCopied(true);
  };

  const continueToSite = async () => {
    if (!warn || !offers.offerContinue) return;
    // Not for ever: when the browser's messaging does not deliver (lib/direct-line.ts), staff are
    // told it failed rather than left with a button that does nothing.
    const reply = await Promise.race([
      send('blockPage/continue', { url: verdict.url }),
      sleep(CONTINUE_ANSWER_LIMIT_MS).then(() => null),
    ]).catch(() => null);
    if (reply?.ok) location.replace(reply.url);
    else setContinueFailed(reply?.reason ?? t('warn_continue_failed'));
  };

  // Lead with what happened and what to do; the disciplinary wording stays in the "Why" quotation.
  // Neutral wording where a school is required to filter (Prevent): staff who land there have
  // usually followed a link, and are told what happened, not accused. A locked list says plainly
  // that nobody in school can open it (lib/block-page-offers.ts).
  const lead = offers.lead;

  return (
    <StopPageShell
      tone={warn ? 'warn' : 'block'}
      schoolName={verdict.schoolName}
      title={t(warn ? 'warn_title' : 'block_title')}
      lead={t(lead)}
      facts={[
        { label: t('block_site'), value: host ?? '—', fromTheWeb: true, testId: 'blocked-host' },
        { label: t('block_category'), value: label, testId: 'blocked-category' },
      ]}
      at={openedAt}
      clause={clause}
      privacy={t('block_privacy')}
    >
      {'personalUseOpens' in verdict && verdict.personalUseOpens && (
        <p class="personal-use" data-testid="personal-use-opens">
          {personalUseOpensText(verdict.personalUseOpens)}
        </p>
      )}
      {verdict.outcome === 'invalid' && <p role="alert">{t('block_invalid')}</p>}
      {verdict.outcome === 'allowed' && <p role="alert">{t('block_not_blocked')}</p>}
      {verdict.outcome === 'applying' && <p role="status">{t('block_applying')}</p>}
      {needsRestart && (
        <p role="status" data-testid="restart-browser">
          {t('restart_browser')}
        </p>
      )}

      <section aria-labelledby="ask-heading">
        <h2 id="ask-heading">{t('block_next_heading')}</h2>
        {locked ? (
          <>
            <p data-testid="locked-explained">{t('block_locked_explain')}</p>
            <p>{t('block_locked_report')}</p>
          </>
        ) : ask.note ? (
          <p>{ask.note}</p>
        ) : (
          !mailto && !ask.url && !ask.server && !ask.serverUrl && <p>{t('block_ask_default')}</p>
        )}
        {offers.askThroughServer && verdict.url && host && (
          <AccessRequestForm url={verdict.url} host={host} canAsk={decided} />
        )}
        <div class="actions">
          {offers.reportWrongBlock && (
            <a
              class="button primary"
              href={offers.reportWrongBlock.href}
              data-testid="report-wrong-block"
              {...(offers.reportWrongBlock.external ? { target: '_blank', rel: 'noreferrer' } : {})}
            >
              {t('block_report_wrong_block')}
            </a>
          )}
          {mailto && (
            <a class="button primary" href={mailto}>
              {t('block_ask_email')}
            </a>
          )}
          {offers.askOnline && (
            <a
              class={`button${mailto ? '' : ' primary'}`}
              href={offers.askOnline}
              target="_blank"
              rel="noreferrer"
            >
              {t('block_ask_url')}
            </a>
          )}
          {canGoBack && (
            <button type="button" onClick={() => history.back()}>
              {t('block_go_back')}
            </button>
          )}
          <button type="button" onClick={copyDetails}>
            {t('block_copy_details')}
          </button>
        </div>
        <p aria-live="polite">{copied ? t('block_copied') : ''}</p>
      </section>

      {warn && offers.offerContinue && (
        <section aria-labelledby="continue-heading" class="continue">
          <h2 id="continue-heading" class="visually-hidden">
            {t('warn_continue')}
          </h2>
          <p>{t('warn_continue_note', verdict.warnContinueMinutes)}</p>
          <div class="actions">
            <button type="button" onClick={continueToSite} data-testid="warn-continue">
              {t('warn_continue')}
            </button>
          </div>
          {continueFailed && <p role="alert">{continueFailed}</p>}
        </section>
      )}
    </StopPageShell>
  );
}
