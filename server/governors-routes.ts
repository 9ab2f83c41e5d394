/**
 * The dashboard's routes for groups, health, the governors' report and detailed events (issue 12
 * parts 4 and 5). Every route asks roles.ts for a permission: reports for anyone who may view
 * them (governors included, read-only), the retention setting for those who manage settings,
 * and the event search for the safeguarding lead only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRealDay } from '../lib/report/payload.ts';
import { allInstallations } from './all-installations.ts';
import {
  checkRetention,
  DEFAULT_RETENTION_DAYS,
  MAX_EVENT_PAGE,
  parseEventSearch,
  RETENTION_SETTING,
  retentionDays,
} from './events.ts';
import {
  type GovernorsData,
  governorsData,
  type RequestTotals,
  renderGovernorsReport,
} from './governors-report.ts';
import { DEFAULT_STALE_DAYS, healthReport } from './health.ts';
import type { Admin, RequireRole } from './roles.ts';
import type { Store } from './store/types.ts';

type Note = { error?: string };
export type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  note: Note,
) => Promise<void>;

export interface GovernorsRouteDeps {
  store: Store;
  requireRole: RequireRole;
  sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ): void;
  sendHtml(res: ServerResponse, status: number, html: string): void;
  readJson(req: IncomingMessage): Promise<unknown>;
  /** Record in the audit log: a changed setting, and every search of detailed events. */
  audit(actor: Admin, action: string, target: string, detail?: string): Promise<unknown>;
  /** Access requests handled between two instants, when the server keeps them. */
  requestTotals?: (fromMs: number, toMs: number) => Promise<RequestTotals | null>;
  schoolName?: string;
}

const MAX_REPORT_DAYS = 366;

/** A term's default: the last 13 weeks up to today. */
export function reportRange(
  url: URL,
  now: number,
): { ok: true; from: string; to: string } | { ok: false; message: string } {
  const today = new Date(now).toISOString().slice(0, 10);
  const to = url.searchParams.get('to') || today;
  const from =
    url.searchParams.get('from') ||
    new Date(Date.parse(`${to}T00:00:00Z`) - 90 * 86_400_000).toISOString().slice(0, 10);
  if (!isRealDay(from)) return { ok: false, message: 'from: expected a day written YYYY-MM-DD' };
  if (!isRealDay(to)) return { ok: false, message: 'to: expected a day written YYYY-MM-DD' };
  if (from > to) return { ok: false, message: 'from must be on or before to' };
  if (Date.parse(to) - Date.parse(from) >= MAX_REPORT_DAYS * 86_400_000) {
    return { ok: false, message: `the range may cover at most ${MAX_REPORT_DAYS} days` };
  }
  return { ok: true, from, to };
}

/** `group` from a query string: absent, or a name (the empty name means "no group set"). */
export function groupParam(url: URL): string | undefined {
  const g = url.searchParams.get('group');
  return g === null ? undefined : g.slice(0, 80);
}

/** The governors' report data for a query string (shared by the route and the CLI). */
export async function governorsReportFor(
  deps: Pick<GovernorsRouteDeps, 'store' | 'requestTotals' | 'schoolName'>,
  url: URL,
  now: number,
): Promise<{ ok: true; data: GovernorsData } | { ok: false; message: string }> {
  const range = reportRange(url, now);
  if (!range.ok) return range;
  const requests = deps.requestTotals
    ? await deps.requestTotals(
        Date.parse(`${range.from}T00:00:00Z`),
        Date.parse(`${range.to}T00:00:00Z`) + 86_400_000,
      )
    : null;
  const group = groupParam(url);
  const data = await governorsData(deps.store, {
    from: range.from,
    to: range.to,
    now,
    requests,
    ...(group !== undefined ? { group } : {}),
    ...(deps.schoolName ? { schoolName: deps.schoolName } : {}),
  });
  return { ok: true, data };
}

/** An event search as the audit log shows it: the fields asked for, in plain words. */
function searchTarget(url: URL): string {
  const p = url.searchParams;
  const parts = [
    p.get('person') && `person ${p.get('person')}`,
    p.get('device') && `device ${p.get('device')}`,
    p.get('category') && `category ${p.get('category')}`,
    p.get('group') && `group ${p.get('group')}`,
    `${p.get('from') || p.get('day') || 'today'} to ${p.get('to') || p.get('day') || p.get('from') || 'today'}`,
  ];
  return parts.filter(Boolean).join(', ').slice(0, 300);
}

export function governorsRoutes(deps: GovernorsRouteDeps): Record<string, Route> {
  const { store, requireRole, sendJson } = deps;

  const badRequest = (res: ServerResponse, note: Note, message: string) => {
    note.error = 'invalid_query';
    sendJson(res, 400, { error: 'invalid_query', message });
  };
  const onlyGet = (req: IncomingMessage, res: ServerResponse, note: Note): boolean => {
    if (req.method === 'GET') return true;
    note.error = 'method_not_allowed';
    sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET' });
    return false;
  };

  return {
    async '/api/groups'(req, res, url, note) {
      if (!(await requireRole(req, res, 'view_reports')) || !onlyGet(req, res, note)) return;
      const range = reportRange(url, Date.now());
      if (!range.ok) return badRequest(res, note, range.message);
      const [installations, totals] = await Promise.all([
        allInstallations(store),
        store.groupTotals(range.from, range.to),
      ]);
      const names = new Set<string>(installations.map((i) => i.group ?? ''));
      for (const t of totals) names.add(t.group);
      sendJson(res, 200, {
        from: range.from,
        to: range.to,
        groups: [...names].sort().map((group) => ({
          group,
          installations: installations.filter((i) => (i.group ?? '') === group).length,
        })),
        totals,
      });
    },

    async '/api/health'(req, res, url, note) {
      if (!(await requireRole(req, res, 'view_reports')) || !onlyGet(req, res, note)) return;
      const stale = Number(url.searchParams.get('staleDays') ?? DEFAULT_STALE_DAYS);
      if (!Number.isInteger(stale) || stale < 1 || stale > 365) {
        return badRequest(res, note, 'staleDays: expected a whole number of days from 1 to 365');
      }
      const group = groupParam(url);
      const all = await allInstallations(store);
      const list = group === undefined ? all : all.filter((i) => (i.group ?? '') === group);
      const report = healthReport(list, Date.now(), stale);
      sendJson(res, 200, {
        ...report,
        problems: report.problems.map((p) => ({
          installationId: p.installation.installationId,
          identity: p.installation.identity,
          group: p.installation.group,
          lastSeen: p.installation.lastSeen,
          extensionVersion: p.installation.extensionVersion,
          ruleListVersion: p.installation.ruleListVersion,
          problems: p.problems,
        })),
      });
    },

    async '/reports/governors'(req, res, url, note) {
      if (!(await requireRole(req, res, 'view_reports')) || !onlyGet(req, res, note)) return;
      const built = await governorsReportFor(deps, url, Date.now());
      if (!built.ok) return badRequest(res, note, built.message);
      built.data.eventsOn = false;
      deps.sendHtml(res, 200, renderGovernorsReport(built.data));
    },

    async '/api/events'(req, res, url, note) {
      const admin = await requireRole(req, res, 'search_events');
      if (!admin || !onlyGet(req, res, note)) return;
      const search = parseEventSearch(url.searchParams, Date.now());
      if (!search.ok) return badRequest(res, note, search.message);
      const events = await store.searchEvents(search.query);
      // Who looked at whom, when: searching people's browsing is itself recorded.
      await deps.audit(admin, 'events.search', searchTarget(url), `${events.length} found`);
      sendJson(res, 200, {
        events,
        offset: search.query.offset,
        next: events.length === MAX_EVENT_PAGE ? search.query.offset + MAX_EVENT_PAGE : null,
        retentionDays: await retentionDays(store),
      });
    },

    async '/api/settings/events'(req, res, _url, note) {
      if (req.method === 'GET') {
        if (!(await requireRole(req, res, 'view_reports'))) return;
        return sendJson(res, 200, {
          retentionDays: await retentionDays(store),
          defaultRetentionDays: DEFAULT_RETENTION_DAYS,
        });
      }
      if (req.method !== 'POST') {
        note.error = 'method_not_allowed';
        return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: 'GET, POST' });
      }
      const admin = await requireRole(req, res, 'manage_settings');
      if (!admin) return;
      const body = await deps.readJson(req);
      const checked = checkRetention((body as { retentionDays?: unknown } | null)?.retentionDays);
      if (!checked.ok) return badRequest(res, note, checked.message);
      const before = await retentionDays(store);
      await store.setSetting(RETENTION_SETTING, String(checked.days));
      await deps.audit(
        admin,
        'settings.event_retention',
        'detailed events',
        `${before} days → ${checked.days} days`,
      );
      sendJson(res, 200, { retentionDays: checked.days });
    },
  };
}
