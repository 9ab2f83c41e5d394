/**
 * Detailed events on the dashboard (issue 12, part 5), for schools whose policy sets
 * `reportDetail: "events"`:
 *
 *   EventsPage    the safeguarding lead's search: by person, device, day (or range), category
 *   SettingsPage  IT's retention setting: how many days events are kept before they are deleted
 *
 * The server decides who may do what (search_events is the safeguarding lead's alone;
 * manage_settings is IT's); these pages only show what the server answers.
 */
import { useEffect, useState } from 'preact/hooks';
import { BUILT_IN_CATEGORIES } from '../../lib/categories.ts';
import { categoryName, NAV_OUTCOMES } from '../names.ts';
import { api, when } from './http.ts';

type EventRecord = {
  at: string;
  installationId: string;
  identity: string | null;
  group: string | null;
  category: string;
  outcome: string;
  domain: string;
};

type SearchAnswer = {
  events: EventRecord[];
  offset: number;
  next: number | null;
  retentionDays: number;
};

type Search = {
  person: string;
  device: string;
  from: string;
  to: string;
  category: string;
};

const today = () => new Date().toISOString().slice(0, 10);

function query(search: Search, offset: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value.trim()) params.set(key, value.trim());
  }
  if (offset > 0) params.set('offset', String(offset));
  return params.toString();
}

export function EventsPage() {
  const [draft, setDraft] = useState<Search>({
    person: '',
    device: '',
    from: today(),
    to: today(),
    category: '',
  });
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [rows, setRows] = useState<EventRecord[]>([]);
  const [searched, setSearched] = useState<Search | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (search: Search, offset: number) => {
    setBusy(true);
    setError(null);
    try {
      const found = await api<SearchAnswer>(`/api/events?${query(search, offset)}`);
      setAnswer(found);
      setRows((old) => (offset > 0 ? [...old, ...found.events] : found.events));
      setSearched(search);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof Search) => ({
    value: draft[key],
    onInput: (e: { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
      setDraft({ ...draft, [key]: e.currentTarget.value }),
  });

  return (
    <section aria-labelledby="events-heading" class="view">
      <h2 id="events-heading">Detailed events</h2>
      <p>
        Each blocked or warned visit from browsers whose policy sets{' '}
        <code>reportDetail: "events"</code>: when, the category, the site's registrable domain only
        (never the page or what was searched for), and who, as the policy's{' '}
        <code>reportIdentity</code> names them. Only the safeguarding lead can search them, and each
        search is recorded in the audit log.
        {answer && ` Events are kept for ${answer.retentionDays} days, then deleted.`}
      </p>
      <form
        class="event-search"
        aria-label="Search events"
        onSubmit={(e) => {
          e.preventDefault();
          void run(draft, 0);
        }}
      >
        <label for="event-person">Person (email address as reported)</label>
        <input id="event-person" type="text" autoComplete="off" {...field('person')} />
        <label for="event-device">Device (installation id)</label>
        <input
          id="event-device"
          type="text"
          autoComplete="off"
          spellcheck={false}
          {...field('device')}
        />
        <label for="event-from">From</label>
        <input id="event-from" type="date" required {...field('from')} />
        <label for="event-to">To</label>
        <input id="event-to" type="date" required {...field('to')} />
        <label for="event-category">Category</label>
        <select id="event-category" {...field('category')}>
          <option value="">Any category</option>
          {[...BUILT_IN_CATEGORIES, 'blocklist']
            .map((id) => [id, categoryName(id)] as const)
            .sort((a, b) => a[1].localeCompare(b[1]))
            .map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
        </select>
        <p class="hint">A search covers at most 31 days; leave a field empty to match anything.</p>
        <button type="submit" disabled={busy}>
          Search
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p aria-live="polite" data-testid="events-summary">
        {answer &&
          searched &&
          (rows.length === 0
            ? 'No events match this search.'
            : `${rows.length.toLocaleString('en-GB')} ${rows.length === 1 ? 'event' : 'events'}${answer.next !== null ? ' so far' : ''}, newest first.`)}
      </p>
      {rows.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a table that scrolls sideways must be reachable by keyboard to scroll it (WCAG 2.1.1).
        <section class="scroll" tabIndex={0} aria-labelledby="events-caption">
          <table>
            <caption id="events-caption">Events found</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Person</th>
                <th scope="col">Device</th>
                <th scope="col">Group</th>
                <th scope="col">Category</th>
                <th scope="col">What happened</th>
                <th scope="col">Site</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={`${r.at}-${r.installationId}-${i}`}>
                  <td>
                    <time dateTime={r.at}>{when(r.at)}</time>
                  </td>
                  <td>{r.identity ?? 'Not named by the policy'}</td>
                  <td>
                    <code title={r.installationId}>{r.installationId.slice(0, 8)}</code>
                  </td>
                  <td>{r.group ?? '—'}</td>
                  <td>{categoryName(r.category)}</td>
                  <td>{NAV_OUTCOMES[r.outcome] ?? r.outcome}</td>
                  <td>{r.domain}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {answer?.next !== null && answer?.next !== undefined && searched && (
        <p>
          <button type="button" disabled={busy} onClick={() => run(searched, answer.next!)}>
            Show more events
          </button>
        </p>
      )}
    </section>
  );
}

export function SettingsPage() {
  const [current, setCurrent] = useState<{
    retentionDays: number;
    defaultRetentionDays: number;
  } | null>(null);
  const [days, setDays] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ retentionDays: number; defaultRetentionDays: number }>('/api/settings/events')
      .then((s) => {
        setCurrent(s);
        setDays(String(s.retentionDays));
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const save = async () => {
    setBusy(true);
    setError(null);
    setMessage('');
    try {
      const saved = await api<{ retentionDays: number }>('/api/settings/events', {
        retentionDays: Number(days),
      });
      setCurrent((c) => (c ? { ...c, retentionDays: saved.retentionDays } : c));
      setMessage(
        `Saved: detailed events are now kept for ${saved.retentionDays} ${saved.retentionDays === 1 ? 'day' : 'days'}. Older ones are deleted within the hour.`,
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="settings-heading" class="view">
      <h2 id="settings-heading">Settings</h2>
      <h3>Detailed events</h3>
      <p>
        Where the policy sets <code>reportDetail: "events"</code>, the server keeps each blocked or
        warned visit for this many days, then deletes it. Keep them no longer than your school
        needs: the data protection principle of storage limitation applies.
        {current && ` The default is ${current.defaultRetentionDays} days.`}
      </p>
      {/* noValidate: the server's plain message says what is wrong, in the same words everywhere. */}
      <form
        aria-label="Detailed events retention"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label for="retention-days">Keep detailed events for (days, 1 to 365)</label>
        <input
          id="retention-days"
          type="number"
          min={1}
          max={365}
          required
          value={days}
          onInput={(e) => setDays(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || !current}>
          Save
        </button>
      </form>
      <p aria-live="polite" data-testid="settings-message">
        {message}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
