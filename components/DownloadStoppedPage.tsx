/**
 * The page Steward opens when it stops a software download. It holds only the token the worker
 * gave it: the file's details come from the worker, and "Download anyway" is a request the worker
 * may refuse. Names from the web (file, site) are shown as text, never as HTML.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { type DownloadStoppedDetails, messenger } from '../lib/messages.ts';
import { t } from './i18n.ts';
import { StopPageShell, whenText } from './StopPageShell.tsx';

const send = messenger<'download page'>((m) => browser.runtime.sendMessage(m));

export function DownloadStoppedPage({ token }: { token: string }) {
  const [details, setDetails] = useState<DownloadStoppedDetails | null | undefined>(undefined);
  const [anyway, setAnyway] = useState<'idle' | 'started' | 'failed'>('idle');
  const [copied, setCopied] = useState(false);
  const [openedAt] = useState(() => new Date());

  useEffect(() => {
    void send('downloadPage/details', { token })
      .then((d) => setDetails(d ?? null))
      .catch(() => setDetails(null));
  }, [token]);

  useEffect(() => {
    if (details) {
      document.title = `${t(details.mode === 'warn' ? 'download_title_warn' : 'download_title_block')} – ${t('extensionName')}`;
    }
  }, [details]);

  if (details === undefined) return <main class="block-page" />;
  if (details === null) {
    return (
      <StopPageShell tone="block" title={t('download_title_block')} lead={t('download_expired')} />
    );
  }

  const warn = details.mode === 'warn';
  const when = whenText(openedAt);
  const kind = t(`download_kind_${details.kind}`);
  const summary = [
    `${t('download_file')}: ${details.name}`,
    `${t('download_kind')}: ${kind}`,
    `${t('download_site')}: ${details.site ?? '—'}`,
    `${t('block_when')}: ${when}`,
  ].join('\n');
  const ask = details.accessRequest;
  const mailto = ask.email
    ? `mailto:${ask.email}?subject=${encodeURIComponent(`Software request: ${details.name}`)}&body=${encodeURIComponent(`${summary}\n\nWhat I need it for:\n`)}`
    : null;
  const clause = details.clause ?? t('block_clause_default');

  const downloadAnyway = async () => {
    const reply = await send('downloadPage/downloadAnyway', { token }).catch(() => null);
    setAnyway(reply?.ok ? 'started' : 'failed');
  };

  return (
    <StopPageShell
      tone={warn ? 'warn' : 'block'}
      schoolName={details.schoolName}
      title={t(warn ? 'download_title_warn' : 'download_title_block')}
      lead={t(warn ? 'download_lead_warn' : 'download_lead_block', details.name)}
      facts={[
        {
          label: t('download_file'),
          value: details.name,
          fromTheWeb: true,
          testId: 'download-name',
        },
        { label: t('download_kind'), value: kind, testId: 'download-kind' },
        {
          label: t('download_site'),
          value: details.site ?? '—',
          fromTheWeb: true,
          testId: 'download-site',
        },
      ]}
      at={openedAt}
      clause={clause}
      privacy={t('download_privacy')}
    >
      {details.disguised && (
        <p role="alert" class="error" data-testid="download-disguised">
          {t('download_disguised', details.evidence)}
        </p>
      )}

      <section aria-labelledby="next-heading">
        <h2 id="next-heading">{t('block_next_heading')}</h2>
        {ask.note ? <p>{ask.note}</p> : !mailto && !ask.url && <p>{t('download_ask_default')}</p>}
        <div class="actions">
          {mailto && (
            <a class="button primary" href={mailto}>
              {t('block_ask_email')}
            </a>
          )}
          {ask.url && (
            <a
              class={`button${mailto ? '' : ' primary'}`}
              href={ask.url}
              target="_blank"
              rel="noreferrer"
            >
              {t('block_ask_url')}
            </a>
          )}
          <button
            type="button"
            onClick={async () => {
              await navigator.clipboard.writeText(summary);
              setCopied(true);
            }}
          >
            {t('block_copy_details')}
          </button>
          {warn && anyway !== 'started' && (
            <button type="button" onClick={downloadAnyway} data-testid="download-anyway">
              {t('download_anyway')}
            </button>
          )}
        </div>
        {warn && <p>{t('download_anyway_note')}</p>}
        <p aria-live="polite">
          {copied ? t('block_copied') : ''}
          {anyway === 'started' ? t('download_anyway_started') : ''}
        </p>
        {anyway === 'failed' && <p role="alert">{t('download_anyway_failed')}</p>}
      </section>
    </StopPageShell>
  );
}
