/**
 * The access-request inbox: staff's requests from the block page, oldest first; approve for the
 * site or a URL prefix, for everyone or one group, for N days or for good (published at once when the server signs), or
 * decline with a note the member of staff sees.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, when } from './http.ts';

type Request = {
  requestId: string;
  installationId: string;
  identity?: string;
  site: string;
  category: string;
  reason: string;
  createdAt: string;
  receivedAt: string;
  status: 'pending' | 'approved' | 'declined' | 'withdrawn';
  entry?: string | null;
  /** The group an approval is for; null: everyone. */
  group?: string | null;
  /** The group the asking browser last reported (policy reportGroup), if any. */
  askerGroup?: string | null;
  until?: string | null;
  note?: string | null;
  decidedAt?: string | null;
  listVersion?: number | null;
};

const STATUS: Record<Request['status'], string> = {
  pending: 'Waiting',
  approved: 'Approved',
  declined: 'Declined',
  withdrawn: 'Withdrawn by a rollback',
};

const EVERYONE = '';

function Decide({
  request,
  groups,
  onDone,
}: {
  request: Request;
  groups: string[];
  onDone: () => void;
}) {
  const id = request.requestId.slice(0, 8);
  const [scope, setScope] = useState<'site' | 'prefix'>('site');
  // The asker's own group by default: a trust opens a site for the school that asked.
  const [group, setGroup] = useState<string>(request.askerGroup ?? EVERYONE);
  const groupChoices = [
    ...new Set([...groups, ...(request.askerGroup ? [request.askerGroup] : [])]),
  ];
  const [prefix, setPrefix] = useState(`${request.site}/`);
  const [duration, setDuration] = useState<'days' | 'good'>('days');
  const [days, setDays] = useState('30');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const decide = async (action: 'approve' | 'decline') => {
    setBusy(true);
    setError(null);
    try {
      await api('/api/access-requests/decide', {
        requestId: request.requestId,
        action,
        scope,
        prefix,
        days: duration === 'good' ? null : Number(days),
        group: group === EVERYONE ? null : group,
        note,
        publish: true,
      });
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="decide"
      onSubmit={(e) => e.preventDefault()}
      aria-label={`Decide the request for ${request.site}`}
    >
      <fieldset>
        <legend>Allow</legend>
        <label>
          <input
            type="radio"
            name={`scope-${id}`}
            checked={scope === 'site'}
            onChange={() => setScope('site')}
          />{' '}
          This site ({request.site.replace(/^www\./, '')} and its subdomains)
        </label>
        <label>
          <input
            type="radio"
            name={`scope-${id}`}
            checked={scope === 'prefix'}
            onChange={() => setScope('prefix')}
          />{' '}
          Only addresses starting with
        </label>
        {scope === 'prefix' && (
          <input
            type="text"
            aria-label="Address prefix to allow"
            value={prefix}
            onInput={(e) => setPrefix(e.currentTarget.value)}
          />
        )}
      </fieldset>
      <label for={`group-${id}`}>Who gets access</label>
      <select id={`group-${id}`} value={group} onChange={(e) => setGroup(e.currentTarget.value)}>
        <option value={EVERYONE}>Everyone</option>
        {groupChoices.map((g) => (
          <option key={g} value={g}>
            Only the group {g}
            {g === request.askerGroup ? ' (where the request came from)' : ''}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>For</legend>
        <label>
          <input
            type="radio"
            name={`for-${id}`}
            checked={duration === 'days'}
            onChange={() => setDuration('days')}
          />{' '}
          A number of days:
        </label>
        <input
          type="number"
          min={1}
          max={3650}
          aria-label="Days"
          value={days}
          disabled={duration !== 'days'}
          onInput={(e) => setDays(e.currentTarget.value)}
        />
        <label>
          <input
            type="radio"
            name={`for-${id}`}
            checked={duration === 'good'}
            onChange={() => setDuration('good')}
          />{' '}
          For good
        </label>
      </fieldset>
      <label for={`note-${id}`}>Note to the member of staff (optional)</label>
      <textarea
        id={`note-${id}`}
        rows={2}
        maxLength={1000}
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
      />
      <p class="hint">
        {group === EVERYONE
          ? 'Everyone gets the access, in the next published list.'
          : `Only browsers whose policy sets reportGroup to "${group}" get the access, in the next published list.`}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="buttons">
        <button type="button" disabled={busy} onClick={() => decide('approve')}>
          Approve and publish
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => decide('decline')}>
          Decline
        </button>
      </div>
    </form>
  );
}

export function RequestsPage() {
  type Inbox = { pending: number; total: number; requests: Request[]; groups: string[] };
  const [data, setData] = useState<Inbox | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const load = () =>
    api<Inbox>('/api/access-requests?status=all&limit=200')
      .then(setData)
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    void load();
  }, []);

  const pending = data?.requests.filter((r) => r.status === 'pending') ?? [];
  const decided = data?.requests.filter((r) => r.status !== 'pending') ?? [];
  return (
    <div class="view">
      <h2>Access requests</h2>
      <p>
        Requests from staff who asked for a blocked site on the block page. An approval is for
        everyone or for one group (the policy's <code>reportGroup</code>, such as one school of a
        trust) and goes into the next published rule list; browsers pick it up at their next check,
        and the member of staff sees the outcome on the block page and in Steward's popup.
      </p>
      <p aria-live="polite" data-testid="requests-message">
        {message}
      </p>
      {error && (
        <p class="error" role="alert">
          The requests could not be loaded: {error}
        </p>
      )}
      {data && (
        <>
          <h3>Waiting ({pending.length})</h3>
          {pending.length === 0 && <p>No requests are waiting.</p>}
          <ul class="requests">
            {pending.map((r) => (
              <li key={r.requestId} class="request" data-testid="request">
                <h4>{r.site}</h4>
                <dl>
                  <dt>Blocked as</dt>
                  <dd>{r.category}</dd>
                  <dt>Asked by</dt>
                  <dd>{r.identity ?? `Browser ${r.installationId.slice(0, 8)} (no name sent)`}</dd>
                  {r.askerGroup && (
                    <>
                      <dt>Group</dt>
                      <dd>{r.askerGroup}</dd>
                    </>
                  )}
                  <dt>Asked</dt>
                  <dd>{when(r.createdAt)}</dd>
                  <dt>Why</dt>
                  <dd class="reason">{r.reason}</dd>
                </dl>
                <Decide
                  request={r}
                  groups={data.groups}
                  onDone={() => {
                    setMessage(`Decided the request for ${r.site}.`);
                    void load();
                  }}
                />
              </li>
            ))}
          </ul>
          <h3>Decided</h3>
          {decided.length === 0 ? (
            <p>None yet.</p>
          ) : (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a table that scrolls sideways must be reachable by keyboard to scroll it (WCAG 2.1.1).
            <section class="scroll" tabIndex={0} aria-labelledby="decided-caption">
              <table>
                <caption id="decided-caption">Decided requests, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Site</th>
                    <th scope="col">Asked by</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Allowed</th>
                    <th scope="col">For</th>
                    <th scope="col">Until</th>
                    <th scope="col">Note</th>
                    <th scope="col">Decided</th>
                  </tr>
                </thead>
                <tbody>
                  {decided.map((r) => (
                    <tr key={r.requestId}>
                      <th scope="row">{r.site}</th>
                      <td>{r.identity ?? `Browser ${r.installationId.slice(0, 8)}`}</td>
                      <td>{STATUS[r.status]}</td>
                      <td>{r.entry ?? '—'}</td>
                      <td>
                        {r.status === 'approved' || r.status === 'withdrawn'
                          ? r.group
                            ? `The group ${r.group}`
                            : 'Everyone'
                          : '—'}
                      </td>
                      <td>
                        {r.status === 'approved' ? (r.until ? when(r.until) : 'For good') : '—'}
                      </td>
                      <td>{r.note ?? '—'}</td>
                      <td>{r.decidedAt ? when(r.decidedAt) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
    </div>
  );
}
