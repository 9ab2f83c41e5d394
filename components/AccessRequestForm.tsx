/**
 * "Ask for access" on the block page, where the policy sends requests to the school's server
 * (`accessRequest.server`). The site comes from the blocked navigation and is decided again by
 * the service worker; staff type why. Once asked, the page shows how the request stands: waiting
 * to be sent (offline), with the IT team, approved (with a button to open the site once Steward
 * has the new list) or declined with the IT team's note.
 */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { MAX_REASON_LENGTH, type RequestOutcome } from '../lib/access-request/payload.ts';
import { type AccessRequestsReply, messenger } from '../lib/messages.ts';
import { t } from './i18n.ts';

const send = messenger<'block page' | 'block page (top frame)'>((m) =>
  browser.runtime.sendMessage(m),
);

/** The outcome of a request, in staff's words. */
export function outcomeText(outcome: RequestOutcome, queued: boolean): string {
  if (queued) return t('access_queued');
  switch (outcome.status) {
    case 'pending':
      return t('access_pending');
    case 'approved':
      return outcome.until
        ? t(
            'access_approved_until',
            new Date(outcome.until).toLocaleDateString('en-GB', { dateStyle: 'long' }),
          )
        : t('access_approved');
    case 'declined':
      return t('access_declined');
    case 'withdrawn':
      return t('access_withdrawn');
  }
}

export function AccessRequestForm({
  url,
  host,
  canAsk,
}: {
  url: string;
  host: string;
  /** False when the worker finds the address no longer blocked: only the outcome is shown. */
  canAsk: boolean;
}) {
  const [reply, setReply] = useState<AccessRequestsReply | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [open, setOpen] = useState(false);

  const refresh = (check: boolean) =>
    send('accessRequests/state', { check })
      .then(setReply)
      .catch(() => undefined);

  useEffect(() => {
    void refresh(false).then(() => refresh(true));
  }, []);

  if (!reply?.enabled) return null;
  const site = host.toLowerCase();
  const queued = reply.state.queue.find((q) => q.request.site === site);
  const outcome = reply.state.outcomes.find((o) => o.site === site);
  const refused = reply.state.refused.find((r) => r.request.site === site);

  const submit = async (event: Event) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    const result = await send('blockPage/requestAccess', { url, reason }).catch((e: Error) => ({
      ok: false as const,
      message: e.message,
    }));
    setSending(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setOpen(false);
    setReason('');
    await refresh(false);
  };

  const shown: RequestOutcome | null = queued
    ? { requestId: queued.request.requestId, site, status: 'pending' }
    : (outcome ?? null);

  return (
    <div class="access-request" data-testid="access-request">
      {shown && (
        <div class={`access-outcome is-${shown.status}`} data-testid="access-outcome">
          <p role="status">{outcomeText(shown, !!queued)}</p>
          {shown.note && (
            <p>
              {t('access_note')} <q data-testid="access-note">{shown.note}</q>
            </p>
          )}
          {queued?.lastError && <p class="hint">{queued.lastError}</p>}
          {shown.status === 'approved' && (
            <div class="actions">
              <button type="button" class="primary" onClick={() => location.replace(url)}>
                {t('access_open_site')}
              </button>
            </div>
          )}
          {!queued && (
            <button type="button" onClick={() => void refresh(true)}>
              {t('access_check_again')}
            </button>
          )}
        </div>
      )}
      {refused && !shown && (
        <p role="alert" class="error">
          {t('access_refused', refused.message)}
        </p>
      )}
      {canAsk &&
        !open &&
        (!shown || shown.status === 'declined' || shown.status === 'withdrawn') && (
          <button
            type="button"
            class="primary"
            onClick={() => setOpen(true)}
            data-testid="access-ask"
          >
            {t('access_ask')}
          </button>
        )}
      {open && (
        <form onSubmit={submit} class="access-form" aria-labelledby="access-form-heading">
          <h3 id="access-form-heading">{t('access_form_heading')}</h3>
          <p>
            <span class="label">{t('block_site')}:</span> <span class="host">{site}</span>
          </p>
          <label for="access-reason">{t('access_reason_label')}</label>
          <textarea
            id="access-reason"
            required
            maxLength={MAX_REASON_LENGTH}
            rows={4}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
            aria-describedby="access-identity"
          />
          <p id="access-identity" class="hint">
            {t(reply.identity === 'email' ? 'access_identity_email' : 'access_identity_none')}
          </p>
          {error && <p role="alert">{error}</p>}
          <div class="actions">
            <button type="submit" class="primary" disabled={sending || reason.trim() === ''}>
              {t('access_send')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('access_cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
