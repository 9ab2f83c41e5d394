/**
 * The page a blocked or warned navigation lands on. Everything from the URL is shown as text
 * (Preact escapes it); nothing from the URL is ever rendered as HTML.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { BlockPageInfo } from '../lib/enforcement-state.ts';
import type { StewardMessage, StewardReply } from '../lib/messages.ts';
import { blockPageInfo } from '../platform/storage.ts';
import { AccessRequestForm } from './AccessRequestForm.tsx';
import { categoryLabel, t } from './i18n.ts';
import './block-page.css';

export type BlockedNavigation = {
  category: string;
  mode: 'block' | 'warn';
  /** The URL that was blocked, or null if the page was opened without one. */
  url: string | null;
  host: string | null;
};

/** Read what the redirect rule put in the query (category, mode) and fragment (original URL). */
export function readBlockedNavigation(location: {
  search: string;
  hash: string;
}): BlockedNavigation {
  const query = new URLSearchParams(location.search);
  const category = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/.test(query.get('c') ?? '')
    ? query.get('c')!
    : 'other';
  const mode = query.get('m') === 'warn' ? 'warn' : 'block';
  const url = location.hash.length > 1 ? location.hash.slice(1) : null;
  let host: string | null = null;
  if (url) {
    try {
      host = new URL(url).hostname.replace(/\.$/, '');
    } catch {
      host = null;
    }
  }
  return { category, mode, url, host };
}

async function send<T extends StewardMessage>(message: T): Promise<StewardReply[T['type']]> {
  return (await browser.runtime.sendMessage(message)) as StewardReply[T['type']];
}

export function BlockPage({ navigation }: { navigation: BlockedNavigation }) {
  const [info, setInfo] = useState<BlockPageInfo | null>(null);
  const [copied, setCopied] = useState(false);
  const [continueFailed, setContinueFailed] = useState(false);
  const [openedAt] = useState(() => new Date());
  const heading = useRef<HTMLHeadingElement>(null);
  const { category, mode, url, host } = navigation;
  const warn = mode === 'warn';

  useEffect(() => {
    void blockPageInfo.getValue().then(setInfo);
    void send({ type: 'blockPage/opened', category, mode }).catch(() => undefined);
    heading.current?.focus();
  }, [category, mode]);

  useEffect(() => {
    document.title = `${t(warn ? 'warn_title' : 'block_title')} – ${t('extensionName')}`;
  }, [warn]);

  const label = categoryLabel(category, info?.categoryLabels);
  const clause = info?.clauses[category] ?? t('block_clause_default');
  const when = openedAt.toLocaleString('en-GB', { dateStyle: 'full', timeStyle: 'short' });
  const details = [
    `${t('block_site')}: ${host ?? '—'}`,
    `${t('block_category')}: ${label}`,
    `${t('block_when')}: ${when}`,
  ].join('\n');
  const ask = info?.accessRequest ?? {};
  const mailto = ask.email
    ? `mailto:${ask.email}?subject=${encodeURIComponent(`Access request: ${host ?? label}`)}&body=${encodeURIComponent(`${details}\n\nWhy I need it for my work:\n`)}`
    : null;

  const copyDetails = async () => {
    await navigator.clipboard.writeText(details);
    setCopied(true);
  };

  const continueToSite = async () => {
    if (!host || !url) return;
    const reply = await send({ type: 'blockPage/continue', category, host }).catch(() => null);
    if (reply?.ok) location.replace(url);
    else setContinueFailed(true);
  };

  return (
    <main class={`block-page ${warn ? 'is-warn' : 'is-block'}`}>
      <p class="brand">
        {t('extensionName')}
        {info?.schoolName ? ` · ${info.schoolName}` : ''}
      </p>
      <h1 ref={heading} tabIndex={-1}>
        {t(warn ? 'warn_title' : 'block_title')}
      </h1>
      <p class="lead">{t(warn ? 'warn_lead' : 'block_lead')}</p>

      {host === null && <p role="alert">{t('block_invalid')}</p>}

      <dl class="facts">
        <div>
          <dt>{t('block_site')}</dt>
          <dd class="host" data-testid="blocked-host">
            {host ?? '—'}
          </dd>
        </div>
        <div>
          <dt>{t('block_category')}</dt>
          <dd data-testid="blocked-category">{label}</dd>
        </div>
        <div>
          <dt>{t('block_when')}</dt>
          <dd>
            <time dateTime={openedAt.toISOString()}>{when}</time>
          </dd>
        </div>
      </dl>

      <section aria-labelledby="why-heading">
        <h2 id="why-heading">{t('block_why')}</h2>
        <blockquote class="clause" data-testid="policy-clause">
          {clause}
        </blockquote>
      </section>

      {warn && host && (
        <section aria-labelledby="continue-heading" class="continue">
          <h2 id="continue-heading" class="visually-hidden">
            {t('warn_continue')}
          </h2>
          <p>{t('warn_continue_note', info?.warnContinueMinutes ?? 15)}</p>
          <div class="actions">
            {history.length > 1 && (
              <button type="button" class="primary" onClick={() => history.back()}>
                {t('block_go_back')}
              </button>
            )}
            <button type="button" onClick={continueToSite} data-testid="warn-continue">
              {t('warn_continue')}
            </button>
          </div>
          {continueFailed && <p role="alert">{t('warn_continue_failed')}</p>}
        </section>
      )}

      <section aria-labelledby="ask-heading">
        <h2 id="ask-heading">{t('block_ask_heading')}</h2>
        {ask.note ? (
          <p>{ask.note}</p>
        ) : (
          !mailto && !ask.url && !ask.server && !ask.serverUrl && <p>{t('block_ask_default')}</p>
        )}
        {url && host && (ask.server || ask.serverUrl) && (
          <AccessRequestForm url={url} host={host} />
        )}
        <div class="actions">
          {mailto && <a href={mailto}>{t('block_ask_email')}</a>}
          {ask.url && (
            <a href={ask.url} target="_blank" rel="noreferrer">
              {t('block_ask_url')}
            </a>
          )}
          <button type="button" onClick={copyDetails}>
            {t('block_copy_details')}
          </button>
          {!warn && history.length > 1 && (
            <button type="button" onClick={() => history.back()}>
              {t('block_go_back')}
            </button>
          )}
        </div>
        <p aria-live="polite">{copied ? t('block_copied') : ''}</p>
      </section>

      <p class="privacy">{t('block_privacy')}</p>
    </main>
  );
}
