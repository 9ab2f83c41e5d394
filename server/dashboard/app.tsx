/**
 * The admin dashboard (Preact + uPlot), built by esbuild when the server starts. It reads the
 * JSON APIs behind the admin session. Every chart has a table with the same figures next to it,
 * so nothing is only visual.
 */
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { HEALTH_NAMES, HEALTH_PROBLEMS, type HealthProblem } from '../health.ts';
import {
  adapterProblemText,
  BROWSERS,
  categoryName,
  DETECTORS,
  DISCLAIMER_OUTCOMES,
  EMAIL_OUTCOMES,
  fmt,
  groupName,
  NAV_OUTCOMES,
  plural,
  ruleListVersionName,
} from '../names.ts';
import { type Permission, ROLE_NAMES, ROLES, type Role } from '../roles.ts';
import type { InstallationRow } from '../store/types.ts';
import { EventsPage, SettingsPage } from './events.tsx';
import { ListsPage } from './lists.tsx';
import { RequestsPage } from './requests.tsx';

interface NavRow {
  day: string;
  category: string;
  outcome: string;
  count: number;
}
interface EmailRow {
  day: string;
  detector: string;
  outcome: string;
  count: number;
}
interface SummaryData {
  from: string;
  to: string;
  navigation: NavRow[];
  email: EmailRow[];
  navigationTotals: { category: string; outcome: string; count: number }[];
  emailTotals: { detector: string; outcome: string; count: number }[];
  batches: number;
}
/** One row of `/api/installations`: the store's row as the server sends it. */
type Installation = InstallationRow;

// Colours distinguishable with common colour-vision differences (Okabe–Ito).
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const shortDay = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

const dayLabel = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    out.push(isoDay(new Date(t)));
  }
  return out;
}

function ago(iso: string, now: number): string {
  const minutes = Math.round((now - Date.parse(iso)) / 60_000);
  if (minutes < 2) return 'just now';
  if (minutes < 120) return `${minutes} minutes ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours ago`;
  return `${Math.round(hours / 24)} days ago`;
}

interface Me {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  permissions: Permission[];
}

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status === 401) {
    window.location.assign('/login');
    throw new Error('Your session has ended. Sign in again.');
  }
  const answer = (await res.json()) as { message?: string };
  if (!res.ok) throw new Error(answer.message ?? `The server answered ${res.status}.`);
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (res.status === 401) {
    window.location.assign('/login');
    throw new Error('Your session has ended. Sign in again.');
  }
  const body = (await res.json()) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? `The server answered ${res.status}.`);
  return body;
}

/** A uPlot line chart of counts per category per day. Decorative to screen readers: the table
 * after it carries the same figures. */
function DayChart(props: { days: string[]; series: { name: string; values: number[] }[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || props.series.length === 0) return;
    const x = props.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 280,
        scales: { x: { time: true } },
        axes: [
          {
            // en-GB day labels rather than uPlot's default month/day.
            values: (_u, splits) => splits.map((v) => shortDay.format(new Date(v * 1000))),
          },
          { label: 'Count' },
        ],
        series: [
          {
            label: 'Day',
            value: (_u, v) => (v == null ? '' : dayLabel(isoDay(new Date(v * 1000)))),
          },
          ...props.series.map((s, i) => ({
            label: s.name,
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            points: { show: true },
          })),
        ],
      },
      [x, ...props.series.map((s) => s.values)],
      el,
    );
    const onResize = () => plot.setSize({ width: Math.max(320, el.clientWidth), height: 280 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    };
  }, [props.days, props.series]);
  return <div ref={box} class="chart" aria-hidden="true" />;
}

function NavigationSection({ summary }: { summary: SummaryData }) {
  const [outcome, setOutcome] = useState('blocked');
  const days = useMemo(() => daysBetween(summary.from, summary.to), [summary]);
  const series = useMemo(() => {
    const byCategory = new Map<string, number[]>();
    const index = new Map(days.map((d, i) => [d, i]));
    for (const r of summary.navigation) {
      if (r.outcome !== outcome) continue;
      let values = byCategory.get(r.category);
      if (!values) {
        values = days.map(() => 0);
        byCategory.set(r.category, values);
      }
      const i = index.get(r.day);
      if (i !== undefined) values[i]! += r.count;
    }
    return [...byCategory.entries()]
      .map(([category, values]) => ({ name: categoryName(category), values }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [summary, outcome, days]);
  const activeDays = days.filter((_, i) => series.some((s) => s.values[i]! > 0));

  return (
    <section aria-labelledby="per-day">
      <h2 id="per-day">Visits per category per day</h2>
      <p>
        <label for="outcome">Show visits that were </label>
        <select id="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
          {Object.entries(NAV_OUTCOMES).map(([value, label]) => (
            <option value={value} key={value}>
              {label.toLowerCase()}
            </option>
          ))}
        </select>
      </p>
      {series.length === 0 ? (
        <p>No visits were {NAV_OUTCOMES[outcome]!.toLowerCase()} in these dates.</p>
      ) : (
        <>
          <DayChart days={days} series={series} />
          <table>
            <caption>
              {NAV_OUTCOMES[outcome]} visits per category, on days with any (the same figures as the
              chart)
            </caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th scope="col" key={s.name}>
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {activeDays.map((day) => {
                const i = days.indexOf(day);
                return (
                  <tr key={day}>
                    <th scope="row">{dayLabel(day)}</th>
                    {series.map((s) => (
                      <td key={s.name}>{fmt(s.values[i]!)}</td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function TotalsSection({ summary }: { summary: SummaryData }) {
  const categories = [...new Set(summary.navigationTotals.map((t) => t.category))].sort((a, b) =>
    categoryName(a).localeCompare(categoryName(b)),
  );
  const count = (category: string, outcome: string) =>
    summary.navigationTotals.find((t) => t.category === category && t.outcome === outcome)?.count ??
    0;
  return (
    <section aria-labelledby="totals">
      <h2 id="totals">Totals per category</h2>
      {categories.length === 0 ? (
        <p>Nothing was blocked or warned in these dates.</p>
      ) : (
        <table>
          <caption>Visits per category and what happened, {rangeText(summary)}</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              {Object.values(NAV_OUTCOMES).map((label) => (
                <th scope="col" key={label}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {categories.map((c) => (
              <tr key={c}>
                <th scope="row">{categoryName(c)}</th>
                {Object.keys(NAV_OUTCOMES).map((o) => (
                  <td key={o}>{fmt(count(c, o))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EmailSection({ summary }: { summary: SummaryData }) {
  // The disclaimer reminder is not a warning about data: its own table below.
  const detectors = [
    ...new Set(summary.emailTotals.map((t) => t.detector).filter((d) => d !== 'disclaimer')),
  ].sort();
  const reminded = summary.emailTotals.some((t) => t.detector === 'disclaimer');
  const count = (detector: string, outcome: string) =>
    summary.emailTotals.find((t) => t.detector === detector && t.outcome === outcome)?.count ?? 0;
  return (
    <section aria-labelledby="email">
      <h2 id="email">Email warnings</h2>
      <p>
        What staff did when warned before sending to an outside address. Only the kind of data found
        is reported, never the message or its recipients.
      </p>
      {detectors.length === 0 ? (
        <p>No email warnings in these dates.</p>
      ) : (
        <table>
          <caption>Email warnings per kind of data and what happened, {rangeText(summary)}</caption>
          <thead>
            <tr>
              <th scope="col">Kind of data</th>
              {Object.values(EMAIL_OUTCOMES).map((label) => (
                <th scope="col" key={label}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {detectors.map((d) => (
              <tr key={d}>
                <th scope="row">{DETECTORS[d] ?? d}</th>
                {Object.keys(EMAIL_OUTCOMES).map((o) => (
                  <td key={o}>{fmt(count(d, o))}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reminded && (
        <table>
          <caption>
            Reminders about the school's disclaimer and what staff did, {rangeText(summary)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Reminder</th>
              {Object.values(DISCLAIMER_OUTCOMES).map((label) => (
                <th scope="col" key={label}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{DETECTORS.disclaimer}</th>
              {Object.keys(DISCLAIMER_OUTCOMES).map((o) => (
                <td key={o}>{fmt(count('disclaimer', o))}</td>
              ))}
            </tr>
          </tbody>
        </table>
      )}
    </section>
  );
}

function VersionTable(props: { caption: string; heading: string; counts: Map<string, number> }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.heading}</th>
          <th scope="col">Installations</th>
        </tr>
      </thead>
      <tbody>
        {[...props.counts.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([name, n]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{fmt(n)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}

function tally(values: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

function InstallationsSection({
  list,
  now,
  total,
  onMore,
}: {
  list: Installation[];
  now: number;
  total: number;
  onMore: (() => void) | null;
}) {
  const recent = list.filter((i) => now - Date.parse(i.lastSeen) < 86_400_000).length;
  const withErrors = list.filter((i) => i.policyError || i.ruleListError);
  return (
    <section aria-labelledby="installations">
      <h2 id="installations">Installations reporting</h2>
      <p>
        {fmt(total)} {total === 1 ? 'installation has' : 'installations have'} reported.
        {list.length < total && ` The ${fmt(list.length)} seen most recently are listed here.`} Of
        those listed, {fmt(recent)} reported in the last 24 hours.{' '}
        {withErrors.length > 0
          ? `${plural(withErrors.length, 'installation')} ${withErrors.length === 1 ? 'reports' : 'report'} a policy or rule-list problem (see the table).`
          : 'None reports a policy or rule-list problem.'}
      </p>
      {list.length > 0 && (
        <>
          <div class="versions">
            <VersionTable
              caption="Policy versions in use"
              heading="Policy"
              counts={tally(
                list.map((i) =>
                  i.policySource === 'default'
                    ? `Default (no policy reached the browser)`
                    : i.policyVersion,
                ),
              )}
            />
            <VersionTable
              caption="Rule-list versions in use"
              heading="Rule list"
              counts={tally(list.map((i) => ruleListVersionName(i.ruleListVersion)))}
            />
            <VersionTable
              caption="Extension versions in use"
              heading="Extension"
              counts={tally(list.map((i) => i.extensionVersion))}
            />
          </div>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a table that scrolls sideways must be reachable by keyboard to scroll it (WCAG 2.1.1). */}
          <section class="scroll" tabIndex={0} aria-labelledby="install-caption">
            <table>
              <caption id="install-caption">Each installation and what it last reported</caption>
              <thead>
                <tr>
                  <th scope="col">Installation</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Group</th>
                  <th scope="col">Browser</th>
                  <th scope="col">Extension</th>
                  <th scope="col">Policy</th>
                  <th scope="col">Rule list</th>
                  <th scope="col">Problems</th>
                </tr>
              </thead>
              <tbody>
                {list.map((i) => {
                  const problems = [
                    i.policyError && `Policy: ${i.policyError}`,
                    i.ruleListError && `Rule list: ${i.ruleListError}`,
                    i.install && !i.install.policyInstalled && 'Not installed by policy',
                    ...i.adapterHealth.map((a) =>
                      adapterProblemText(a.service, a.problem, a.count),
                    ),
                    i.restartsNeeded > 0 &&
                      i.lastRestartNeeded &&
                      `Needed a browser restart ${plural(i.restartsNeeded, 'time')}, last reported ${ago(i.lastRestartNeeded, now)}`,
                  ].filter(Boolean) as string[];
                  return (
                    <tr key={i.installationId}>
                      <th scope="row">
                        {i.identity ?? (
                          <span title={i.installationId}>{i.installationId.slice(0, 8)}</span>
                        )}
                      </th>
                      <td>
                        <time dateTime={i.lastSeen}>{ago(i.lastSeen, now)}</time>
                        <span class="hint"> ({timeFormat.format(new Date(i.lastSeen))})</span>
                      </td>
                      <td>{groupName(i.group)}</td>
                      <td>{BROWSERS[i.browser] ?? i.browser}</td>
                      <td>{i.extensionVersion}</td>
                      <td>{i.policySource === 'default' ? 'Default' : i.policyVersion}</td>
                      <td>{ruleListVersionName(i.ruleListVersion)}</td>
                      <td>
                        {problems.length === 0 ? (
                          'None'
                        ) : (
                          <ul>
                            {problems.map((p) => (
                              <li key={p}>{p}</li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          {onMore && (
            <p>
              <button type="button" onClick={onMore}>
                Show more installations
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

const ROLE_HELP: Record<Role, string> = {
  it: 'rule lists, access requests, settings and people',
  safeguarding: 'reports, detailed events and the audit log',
  head: 'reports and the audit log',
  governor: 'reports only; cannot change anything',
};

interface Person {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  hasPassword: boolean;
}

function PeopleView({ me }: { me: Me }) {
  const [people, setPeople] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [draft, setDraft] = useState({ email: '', name: '', role: 'governor', password: '' });
  const load = () =>
    getJson<{ items: Person[] }>('/api/people')
      .then((r) => setPeople(r.items))
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    load();
  }, []);
  const act = async (work: () => Promise<void>, done: string) => {
    setError(null);
    setStatus('');
    try {
      await work();
      setStatus(done);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="people">
      <h2 id="people">People</h2>
      <p>
        Who may sign in to this dashboard, and what each may do. Someone signing in with the school
        account is matched by their email address, so add them here first.
      </p>
      <ul>
        {ROLES.map((r) => (
          <li key={r}>
            <strong>{ROLE_NAMES[r]}</strong>: {ROLE_HELP[r]}
          </li>
        ))}
      </ul>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <p role="status">{status}</p>
      {people && (
        <table>
          <caption>Accounts</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Signs in with</th>
              <th scope="col">Remove</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.accountId}>
                <th scope="row">{p.email}</th>
                <td>{p.name}</td>
                <td>
                  {p.accountId === me.accountId ? (
                    `${ROLE_NAMES[p.role]} (you)`
                  ) : (
                    <select
                      aria-label={`Role of ${p.email}`}
                      value={p.role}
                      onChange={(e) => {
                        const role = e.currentTarget.value;
                        act(
                          () => postJson('/api/people/update', { accountId: p.accountId, role }),
                          `${p.email} is now ${ROLE_NAMES[role as Role]}.`,
                        );
                      }}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_NAMES[r]}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
                <td>{p.hasPassword ? 'Password or school account' : 'School account only'}</td>
                <td>
                  {p.accountId !== me.accountId && (
                    <button
                      type="button"
                      onClick={() => {
                        if (window.confirm(`Remove ${p.email}? They will be signed out.`)) {
                          act(
                            () => postJson('/api/people/remove', { accountId: p.accountId }),
                            `${p.email} was removed.`,
                          );
                        }
                      }}
                    >
                      Remove <span class="visually-hidden">{p.email}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Add a person</h3>
      <form
        class="person"
        onSubmit={(e) => {
          e.preventDefault();
          act(
            () => postJson('/api/people', draft),
            `${draft.email} was added as ${ROLE_NAMES[draft.role as Role]}.`,
          ).then(() => setDraft({ email: '', name: '', role: 'governor', password: '' }));
        }}
      >
        <label for="new-email">Email address</label>
        <input
          id="new-email"
          type="email"
          required
          autocomplete="off"
          value={draft.email}
          onInput={(e) => setDraft({ ...draft, email: e.currentTarget.value })}
        />
        <label for="new-name">Name</label>
        <input
          id="new-name"
          type="text"
          autocomplete="off"
          value={draft.name}
          onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
        />
        <label for="new-role">Role</label>
        <select
          id="new-role"
          value={draft.role}
          onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
        <label for="new-password">
          Password (leave empty to sign in with the school account only)
        </label>
        <input
          id="new-password"
          type="password"
          autocomplete="new-password"
          minLength={12}
          value={draft.password}
          onInput={(e) => setDraft({ ...draft, password: e.currentTarget.value })}
        />
        <button type="submit">Add</button>
      </form>
    </section>
  );
}

interface AuditRow {
  entryId: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

const ACTIONS: Record<string, string> = {
  'account.create': 'Added an account',
  'account.update': 'Changed an account',
  'account.remove': 'Removed an account',
  sign_in: 'Signed in',
  'retention.prune': 'Removed old data',
  'settings.event_retention': 'Changed how long detailed events are kept',
  'events.search': 'Searched detailed events',
};

function AuditView() {
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const load = (cursor: string | null) =>
    getJson<{ items: AuditRow[]; next: string | null; total: number }>(
      `/api/audit?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
      .then((page) => {
        setRows((old) => (cursor ? [...old, ...page.items] : page.items));
        setNext(page.next);
        setTotal(page.total);
      })
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    load(null);
  }, []);
  return (
    <section aria-labelledby="audit">
      <h2 id="audit">Audit log</h2>
      <p>
        Every change to accounts, lists, requests and settings, and every sign-in: who, when and
        what. {fmt(total)} entries. <a href="/api/audit.csv">Download the whole log as CSV</a>
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <table>
        <caption>Newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">To what</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.entryId}>
              <td>
                <time dateTime={new Date(r.at).toISOString()}>
                  {timeFormat.format(new Date(r.at))}
                </time>
              </td>
              <td>{r.actor === 'system' ? 'The server' : r.actor}</td>
              <td>{ACTIONS[r.action] ?? r.action}</td>
              <td>{r.target}</td>
              <td>{r.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && (
        <p>
          <button type="button" onClick={() => load(next)}>
            Show older entries
          </button>
        </p>
      )}
    </section>
  );
}

interface GroupsData {
  groups: { group: string; installations: number }[];
  totals: { group: string; category: string; outcome: string; count: number }[];
}

interface HealthData {
  installations: number;
  healthy: number;
  counts: Record<HealthProblem, number>;
  context: { staleDays: number; newestExtension: string | null; newestRuleList: number | null };
  problems: {
    installationId: string;
    identity: string | null;
    group: string | null;
    lastSeen: string;
    problems: HealthProblem[];
  }[];
}

/** Blocked and warned visits per group: a trust compares its schools. */
function GroupsSection({ data }: { data: GroupsData }) {
  if (data.groups.length < 2) return null;
  const sum = (group: string, outcome: string) =>
    data.totals
      .filter((t) => t.group === group && t.outcome === outcome)
      .reduce((n, t) => n + t.count, 0);
  return (
    <section aria-labelledby="groups">
      <h2 id="groups">Per group</h2>
      <table>
        <caption>Installations and visits per group (policy reportGroup)</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Installations</th>
            <th scope="col">Blocked</th>
            <th scope="col">Warned</th>
          </tr>
        </thead>
        <tbody>
          {data.groups.map((g) => (
            <tr key={g.group}>
              <th scope="row">{groupName(g.group)}</th>
              <td>{fmt(g.installations)}</td>
              <td>{fmt(sum(g.group, 'blocked'))}</td>
              <td>{fmt(sum(g.group, 'warned'))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HealthSection({ health, now }: { health: HealthData; now: number }) {
  const [shown, setShown] = useState<HealthProblem | null>(null);
  const listed = shown ? health.problems.filter((p) => p.problems.includes(shown)) : [];
  return (
    <section aria-labelledby="health">
      <h2 id="health">Health</h2>
      <p>
        {plural(health.installations, 'installation')}; {fmt(health.healthy)} with no problem.
        Newest extension seen: {health.context.newestExtension ?? 'none'}; newest rule list:{' '}
        {ruleListVersionName(health.context.newestRuleList).toLowerCase()}.
      </p>
      <table>
        <caption>
          Installations with each problem ("not seen recently": no report for more than{' '}
          {plural(health.context.staleDays, 'day')})
        </caption>
        <thead>
          <tr>
            <th scope="col">Problem</th>
            <th scope="col">Installations</th>
            <th scope="col">List</th>
          </tr>
        </thead>
        <tbody>
          {HEALTH_PROBLEMS.map((p) => (
            <tr key={p}>
              <th scope="row">{HEALTH_NAMES[p]}</th>
              <td>{fmt(health.counts[p])}</td>
              <td>
                {health.counts[p] > 0 && (
                  <button
                    type="button"
                    aria-pressed={shown === p}
                    onClick={() => setShown(shown === p ? null : p)}
                  >
                    {shown === p ? 'Hide' : 'Show'} {plural(health.counts[p], 'installation')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown && (
        <table>
          <caption>{HEALTH_NAMES[shown]}</caption>
          <thead>
            <tr>
              <th scope="col">Installation</th>
              <th scope="col">Group</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((p) => (
              <tr key={p.installationId}>
                <th scope="row">{p.identity ?? p.installationId.slice(0, 8)}</th>
                <td>{groupName(p.group)}</td>
                <td>{ago(p.lastSeen, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function rangeText(s: { from: string; to: string }): string {
  return `${dayLabel(s.from)} to ${dayLabel(s.to)}`;
}

type View = 'reports' | 'requests' | 'lists' | 'events' | 'settings' | 'people' | 'audit';
const VIEWS: readonly View[] = [
  'reports',
  'requests',
  'lists',
  'events',
  'settings',
  'people',
  'audit',
];
const viewFromHash = (): View => {
  const h = window.location.hash.slice(1);
  return (VIEWS as readonly string[]).includes(h) ? (h as View) : 'reports';
};

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [view, setView] = useState<View>(viewFromHash());
  useEffect(() => {
    getJson<Me>('/api/me').then(setMe, () => {});
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const may = (p: Permission) => me?.permissions.includes(p) ?? false;
  const views: [View, string, boolean][] = [
    ['reports', 'Reports', true],
    ['requests', 'Access requests', may('handle_requests')],
    ['lists', 'Rule lists', may('publish_lists')],
    ['events', 'Detailed events', may('search_events')],
    ['settings', 'Settings', may('manage_settings')],
    ['people', 'People', may('manage_people')],
    ['audit', 'Audit log', may('view_audit')],
  ];
  const shown = views.find(([v, , allowed]) => v === view && allowed)?.[0] ?? 'reports';
  return (
    <>
      <header>
        <h1>Steward reports</h1>
        {me && (
          <p class="who">
            Signed in as {me.email} ({ROLE_NAMES[me.role]})
          </p>
        )}
        <form method="post" action="/logout">
          <button type="submit">Sign out</button>
        </form>
      </header>
      <nav aria-label="Dashboard">
        <ul>
          {views
            .filter(([, , allowed]) => allowed)
            .map(([v, label]) => (
              <li key={v}>
                <a href={`#${v}`} aria-current={shown === v ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <main>
        {shown === 'reports' && <ReportsView />}
        {shown === 'requests' && <RequestsPage />}
        {shown === 'lists' && <ListsPage />}
        {shown === 'events' && <EventsPage />}
        {shown === 'settings' && <SettingsPage />}
        {shown === 'people' && me && <PeopleView me={me} />}
        {shown === 'audit' && <AuditView />}
      </main>
    </>
  );
}

function ReportsView() {
  const today = isoDay(new Date());
  const [range, setRange] = useState({
    from: isoDay(new Date(Date.now() - 29 * 86_400_000)),
    to: today,
  });
  const [draft, setDraft] = useState(range);
  const [summary, setSummary] = useState<SummaryData | null>(null);
  const [installs, setInstalls] = useState<InstallationsPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [group, setGroup] = useState<string | null>(null);
  const [groups, setGroups] = useState<GroupsData | null>(null);
  const [health, setHealth] = useState<HealthData | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    const groupQuery = group === null ? '' : `&group=${encodeURIComponent(group)}`;
    const query = `from=${range.from}&to=${range.to}${groupQuery}`;
    Promise.all([
      getJson<SummaryData>(`/api/summary?${query}`),
      getJson<InstallationsPage>('/api/installations'),
      getJson<GroupsData>(`/api/groups?from=${range.from}&to=${range.to}`),
      getJson<HealthData>(`/api/health?${groupQuery.slice(1)}`),
    ])
      .then(([s, i, g, h]) => {
        if (!live) return;
        setSummary(s);
        setInstalls(i);
        setGroups(g);
        setHealth(h);
      })
      .catch((err: Error) => live && setError(err.message));
    return () => {
      live = false;
    };
  }, [range, group]);

  const more = async () => {
    if (!installs?.next) return;
    try {
      const page = await getJson<InstallationsPage>(
        `/api/installations?cursor=${encodeURIComponent(installs.next)}`,
      );
      setInstalls({ ...page, installations: [...installs.installations, ...page.installations] });
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const groupQuery = group === null ? '' : `&group=${encodeURIComponent(group)}`;
  const csvHref = `/api/export.csv?from=${range.from}&to=${range.to}${groupQuery}`;
  return (
    <>
      <p>
        Counts of blocked and warned access, and of email warnings, sent by the school's browsers.
        Counts only: no web addresses, page titles or email content are ever sent.
      </p>
      <form
        class="range"
        onSubmit={(e) => {
          e.preventDefault();
          setRange(draft);
        }}
      >
        <label for="from">From</label>
        <input
          id="from"
          type="date"
          required
          value={draft.from}
          max={draft.to}
          onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
        />
        <label for="to">To</label>
        <input
          id="to"
          type="date"
          required
          value={draft.to}
          min={draft.from}
          onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
        />
        <button type="submit">Show</button>
        <a href={csvHref} download>
          Download these counts as CSV
        </a>
        <a
          href={`/reports/governors?from=${range.from}&to=${range.to}${groupQuery}`}
          target="_blank"
          rel="noopener"
        >
          Governors' report (print or save as PDF)
        </a>
      </form>
      {error && (
        <p class="error" role="alert">
          The reports could not be loaded: {error}
        </p>
      )}
      {groups && groups.groups.length > 1 && (
        <p>
          <label for="group">Group or school </label>
          <select
            id="group"
            value={group ?? '*'}
            onChange={(e) => setGroup(e.currentTarget.value === '*' ? null : e.currentTarget.value)}
          >
            <option value="*">All groups</option>
            {groups.groups.map((g) => (
              <option value={g.group} key={g.group}>
                {groupName(g.group)} ({plural(g.installations, 'installation')})
              </option>
            ))}
          </select>
        </p>
      )}
      {!summary && !error && <p aria-live="polite">Loading the reports…</p>}
      {summary && (
        <>
          <NavigationSection summary={summary} />
          <TotalsSection summary={summary} />
          {group === null && groups && <GroupsSection data={groups} />}
          <EmailSection summary={summary} />
        </>
      )}
      {health && installs && <HealthSection health={health} now={Date.parse(installs.now)} />}
      {installs && (
        <InstallationsSection
          list={
            group === null
              ? installs.installations
              : installs.installations.filter((x) => (x.group ?? '') === group)
          }
          now={Date.parse(installs.now)}
          total={installs.total}
          onMore={installs.next ? more : null}
        />
      )}
    </>
  );
}

interface InstallationsPage {
  now: string;
  installations: Installation[];
  next: string | null;
  total: number;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
