/** The popup's list of this browser's access requests and how each stands. */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { RequestOutcome } from '../lib/access-request/payload.ts';
import type { AccessRequestsReply } from '../lib/messages.ts';
import { outcomeText } from './AccessRequestForm.tsx';
import { t } from './i18n.ts';

export function AccessRequestsPanel() {
  const [reply, setReply] = useState<AccessRequestsReply | null>(null);
  useEffect(() => {
    const ask = (check: boolean) =>
      (
        browser.runtime.sendMessage({
          type: 'accessRequests/state',
          check,
        }) as Promise<AccessRequestsReply>
      )
        .then(setReply)
        .catch(() => undefined);
    void ask(false).then(() => ask(true));
  }, []);
  if (!reply?.enabled) return null;
  const queued = new Set(reply.state.queue.map((q) => q.request.requestId));
  const rows: RequestOutcome[] = [
    ...reply.state.queue
      .filter((q) => !reply.state.outcomes.some((o) => o.requestId === q.request.requestId))
      .map((q) => ({
        requestId: q.request.requestId,
        site: q.request.site,
        status: 'pending' as const,
      })),
    ...reply.state.outcomes,
  ];
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="access-heading" data-testid="access-requests">
      <h2 id="access-heading">{t('popup_access_requests')}</h2>
      <ul>
        {rows.slice(0, 10).map((o) => (
          <li key={o.requestId}>
            <strong>{o.site}</strong>: {outcomeText(o, queued.has(o.requestId))}
            {o.note ? ` ${t('access_note')} “${o.note}”` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}
