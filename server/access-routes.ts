/**
 * HTTP routes for access requests and server-managed rule lists (issue 12, parts 1 and 2).
 *
 *   POST /v1/access-requests              a browser sends a request (report token)
 *   GET  /v1/access-requests?installationId=…   how that browser's requests were decided
 *   GET  /api/access-requests             the inbox (IT role)
 *   POST /api/access-requests/decide      approve (site or URL prefix, everyone or a group, N days
 *                                         or for good) or decline
 *   GET  /api/lists                       the list source, signing, published version, history
 *   GET  /api/lists/draft                 the next list: findings and changes
 *   GET  /api/lists/entries               a page of one part's entries
 *   POST /api/lists/entries               add or remove entries
 *   POST /api/lists/category              add a category or change its settings
 *   POST /api/lists/import                import an uploaded list (UT1, hosts, AdBlock, plain)
 *   POST /api/lists/publish               sign on the server and publish
 *   POST /api/lists/rollback              publish an earlier version's content again
 *   GET  /api/lists/export                the draft to sign offline (?restore=V for a rollback)
 *   POST /api/lists/upload                the offline-signed list and its signature
 *
 * Dashboard writes take JSON (or text for imports) and check the Origin header, on top of the
 * SameSite=Strict session cookie.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseAccessRequest } from '../lib/access-request/payload.ts';
import { GROUP_RULE, isGroupName } from '../lib/report/group.ts';
import { fromSameOrigin, readBody, readJsonBody } from './http-body.ts';
import { ListError, type ListPart, type ManagedLists, partFrom, siteEntry } from './lists.ts';
import { type AccessRequests, RequestError } from './requests.ts';
import type { Admin, Permission } from './roles.ts';

type Note = { error?: string; problems?: number };
type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, note: Note) => Promise<void>;
type AdminHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  note: Note,
  admin: Admin,
) => Promise<void>;

/** What the routes need from the app: its response helpers and its sign-in checks. */
export interface RouteKit {
  sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ): void;
  /** The signed-in admin if their role has the permission; otherwise 401 or 403 is sent. */
  requireRole(
    req: IncomingMessage,
    res: ServerResponse,
    permission: Permission,
  ): Promise<Admin | null>;
  /** Record a change in the audit log. */
  audit(actor: Admin, action: string, target: string, detail?: string): Promise<unknown>;
  /** The groups installations report (policy `reportGroup`), and each installation's group. */
  groups(): Promise<{ names: string[]; of: Map<string, string | null> }>;
  /** The report token's id if the request carries an accepted one, else null. */
  reportTokenId(req: IncomingMessage): string | null;
  cors: Record<string, string>;
}

const REQUEST_BODY_LIMIT = 16 * 1024;
const JSON_BODY_LIMIT = 1024 * 1024;
/** An uploaded source list or signed rule list: UT1's largest category is about 50 MB. */
const UPLOAD_LIMIT = 96 * 1024 * 1024;
const MAX_DAYS = 3650;

export function accessRoutes(
  kit: RouteKit,
  lists: ManagedLists | null,
  requests: AccessRequests,
): Record<string, Handler> {
  const { sendJson } = kit;

  const fail = (
    res: ServerResponse,
    note: Note,
    status: number,
    error: string,
    message: string,
  ) => {
    note.error = error;
    sendJson(res, status, { error, message });
  };

  /**
   * A dashboard call: signed in with a role that has the permission (checked on the server from
   * the account, never from the page), and for writes from the same origin.
   */
  const dashboard =
    (methods: string[], permission: Permission, work: AdminHandler): Handler =>
    async (req, res, url, note) => {
      const admin = await kit.requireRole(req, res, permission);
      if (!admin) {
        note.error = 'not_allowed';
        return;
      }
      if (!methods.includes(req.method ?? '')) {
        note.error = 'method_not_allowed';
        sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: methods.join(', ') });
        return;
      }
      if (req.method === 'POST' && !fromSameOrigin(req)) {
        return fail(
          res,
          note,
          403,
          'cross_origin',
          'Changes are accepted from the dashboard only.',
        );
      }
      try {
        await work(req, res, url, note, admin);
      } catch (error) {
        if (error instanceof ListError || error instanceof RequestError) {
          return fail(res, note, error.status, 'refused', error.message);
        }
        throw error;
      }
    };

  const managed = (res: ServerResponse, note: Note): ManagedLists | null => {
    if (lists) return lists;
    fail(
      res,
      note,
      409,
      'lists_from_file',
      'This server publishes the rule-list file named by STEWARD_RULE_LIST, so lists are not managed here. Unset STEWARD_RULE_LIST to manage them on the dashboard.',
    );
    return null;
  };

  const jsonBody = async <T>(
    req: IncomingMessage,
    res: ServerResponse,
    note: Note,
    limit = JSON_BODY_LIMIT,
  ): Promise<T | null> => {
    const body = await readJsonBody(req, limit);
    if (body.ok) return body.value as T;
    if (body.error === 'aborted') res.destroy();
    else fail(res, note, body.status, body.error, body.message);
    return null;
  };

  const part = (res: ServerResponse, note: Note, text: string | null): ListPart | null => {
    const p = partFrom(text);
    if (!p)
      fail(res, note, 400, 'invalid_part', 'Name the list: category:<id>, allowList or blockList.');
    return p;
  };

  const listState = async (l: ManagedLists) => {
    const source = await l.readSource();
    const current = await l.currentDocument();
    return {
      signing: l.signing,
      publicKey: l.publicKey(),
      current: current ? { version: current.version, issuedAt: current.issuedAt } : null,
      newListDue: await l.expiredGrantsPublished(),
      categories: Object.entries(source.categories).map(([id, c]) => ({
        id,
        label: c.label ?? null,
        clause: c.clause ?? null,
        mode: c.mode,
        builtIn: c.builtIn,
        entries: c.domains.length + c.urlPrefixes.length,
      })),
      allowList: source.allowList.length,
      blockList: source.blockList.length,
      grants: source.grants,
      history: await l.readHistory(),
    };
  };

  return {
    '/v1/access-requests': async (req, res, url, note) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { ...kit.cors, 'Content-Length': 0 });
        res.end();
        return;
      }
      if (!kit.reportTokenId(req)) {
        note.error = 'unauthorised';
        sendJson(
          res,
          401,
          {
            error: 'unauthorised',
            message: 'Send the report token as "Authorization: Bearer <token>".',
          },
          { ...kit.cors, 'WWW-Authenticate': 'Bearer realm="steward"' },
        );
        return;
      }
      if (req.method === 'GET') {
        const id = url.searchParams.get('installationId') ?? '';
        if (!/^[0-9a-f-]{36}$/.test(id)) {
          note.error = 'invalid_installation';
          sendJson(
            res,
            400,
            { error: 'invalid_installation', message: 'installationId: expected a UUID.' },
            kit.cors,
          );
          return;
        }
        sendJson(res, 200, { requests: await requests.outcomesFor(id) }, kit.cors);
        return;
      }
      if (req.method !== 'POST') {
        note.error = 'method_not_allowed';
        sendJson(
          res,
          405,
          { error: 'method_not_allowed' },
          { ...kit.cors, Allow: 'GET, POST, OPTIONS' },
        );
        return;
      }
      const body = await readJsonBody(req, REQUEST_BODY_LIMIT);
      if (!body.ok) {
        note.error = body.error;
        if (body.error === 'aborted') return void res.destroy();
        // Connection: close, so the rest of an oversized body is never read.
        sendJson(
          res,
          body.status,
          { error: body.error, message: body.message },
          body.status === 413 ? { ...kit.cors, Connection: 'close' } : kit.cors,
        );
        return;
      }
      const value = body.value;
      const parsed = parseAccessRequest(value);
      if (!parsed.ok) {
        note.error = 'invalid_request';
        note.problems = parsed.problems.length;
        const first = parsed.problems[0]!;
        sendJson(
          res,
          400,
          {
            error: 'invalid_request',
            message: `${first.path}: ${first.message}`,
            problems: parsed.problems,
          },
          kit.cors,
        );
        return;
      }
      try {
        const result = await requests.receive(parsed.request);
        sendJson(
          res,
          200,
          { ok: true, duplicate: result.duplicate, requestId: parsed.request.requestId },
          kit.cors,
        );
      } catch (error) {
        if (!(error instanceof RequestError)) throw error;
        note.error = 'refused';
        sendJson(res, error.status, { error: 'refused', message: error.message }, kit.cors);
      }
    },

    '/api/access-requests': dashboard(['GET'], 'handle_requests', async (_req, res, url) => {
      const filter = url.searchParams.get('status');
      const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
      const limit = Math.min(200, Math.max(1, Number(url.searchParams.get('limit')) || 50));
      const [inbox, groups] = await Promise.all([
        requests.list(filter === 'pending' || filter === 'decided' ? filter : 'all', offset, limit),
        kit.groups(),
      ]);
      // The asker's group as its browser last reported it: the inbox offers it as the default
      // for an approval, so a trust opens a site for one school rather than all six.
      sendJson(res, 200, {
        ...inbox,
        groups: groups.names,
        requests: inbox.requests.map((r) => ({
          ...r,
          askerGroup: groups.of.get(r.installationId) ?? null,
        })),
      });
    }),

    '/api/access-requests/decide': dashboard(
      ['POST'],
      'handle_requests',
      async (req, res, _url, note, admin) => {
        const body = await jsonBody<{
          requestId?: unknown;
          action?: unknown;
          scope?: unknown;
          prefix?: unknown;
          days?: unknown;
          group?: unknown;
          note?: unknown;
          publish?: unknown;
        }>(req, res, note);
        if (!body) return;
        const request =
          typeof body.requestId === 'string' ? await requests.get(body.requestId) : null;
        if (!request) return fail(res, note, 404, 'not_found', 'There is no such request.');
        const text = typeof body.note === 'string' ? body.note.trim().slice(0, 1000) || null : null;
        if (body.action === 'decline') {
          const decided = await requests.decide(request.requestId, {
            status: 'declined',
            note: text,
          });
          return sendJson(res, 200, { request: decided });
        }
        if (body.action !== 'approve') {
          return fail(res, note, 400, 'invalid_action', 'action: approve or decline.');
        }
        const l = managed(res, note);
        if (!l) return;
        let entry: string | null;
        if (body.scope === 'prefix') {
          entry = typeof body.prefix === 'string' ? body.prefix.trim() : null;
          if (!entry)
            return fail(res, note, 400, 'invalid_prefix', 'Give the URL prefix to allow.');
          if (!entry.includes('/')) {
            return fail(
              res,
              note,
              400,
              'invalid_prefix',
              `"${entry}" is not a URL prefix: it needs a path, such as ${request.site}/teaching.`,
            );
          }
        } else entry = siteEntry(request.site);
        if (!entry)
          return fail(
            res,
            note,
            400,
            'invalid_site',
            `${request.site} cannot be allowed as a site.`,
          );
        let until: Date | null = null;
        if (body.days !== null && body.days !== undefined) {
          const days = Number(body.days);
          if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
            return fail(
              res,
              note,
              400,
              'invalid_days',
              `days: a whole number from 1 to ${MAX_DAYS}, or null for good.`,
            );
          }
          until = new Date(Date.now() + days * 86_400_000);
        }
        // For everyone (absent or null) or one group: the name the policy's reportGroup gives.
        const group = body.group === undefined || body.group === null ? null : body.group;
        if (group !== null && (typeof group !== 'string' || !isGroupName(group))) {
          return fail(
            res,
            note,
            400,
            'invalid_group',
            `group: ${GROUP_RULE}, or null for everyone.`,
          );
        }
        const granted = await l.addGrant(entry, until, request.requestId, group);
        let decided = await requests.decide(request.requestId, {
          status: 'approved',
          entry: granted,
          group,
          until: until?.toISOString() ?? null,
          note: text,
        });
        await kit.audit(
          admin,
          'access_request.approve',
          request.site,
          `${granted} for ${group === null ? 'everyone' : `the group ${group}`} ${until ? `until ${until.toISOString()}` : 'for good'}`,
        );
        let published: number | null = null;
        if (body.publish === true && l.signing === 'server') {
          published = (await l.publish()).version;
          await kit.audit(
            admin,
            'rule_list.publish',
            String(published),
            'with an approved request',
          );
          decided = (await requests.get(request.requestId)) ?? decided;
        }
        sendJson(res, 200, { request: decided, published });
      },
    ),

    '/api/lists': dashboard(['GET'], 'publish_lists', async (_req, res, _url, note) => {
      const l = managed(res, note);
      if (l) sendJson(res, 200, await listState(l));
    }),

    '/api/lists/draft': dashboard(['GET'], 'publish_lists', async (_req, res, _url, note) => {
      const l = managed(res, note);
      if (!l) return;
      const draft = await l.draft();
      sendJson(res, 200, {
        version: draft.document.version,
        bytes: Buffer.byteLength(draft.text),
        findings: draft.findings,
        changes: draft.changes,
      });
    }),

    '/api/lists/entries': dashboard(
      ['GET', 'POST'],
      'publish_lists',
      async (req, res, url, note, admin) => {
        const l = managed(res, note);
        if (!l) return;
        if (req.method === 'GET') {
          const p = part(res, note, url.searchParams.get('part'));
          if (!p) return;
          const offset = Math.max(0, Number(url.searchParams.get('offset')) || 0);
          const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit')) || 100));
          return sendJson(
            res,
            200,
            await l.entries(p, url.searchParams.get('q') ?? '', offset, limit),
          );
        }
        const body = await jsonBody<{ part?: string; add?: unknown; remove?: unknown }>(
          req,
          res,
          note,
        );
        if (!body) return;
        const p = part(res, note, body.part ?? null);
        if (!p) return;
        const strings = (x: unknown) =>
          Array.isArray(x)
            ? x.filter((e): e is string => typeof e === 'string').slice(0, 10_000)
            : [];
        const added = await l.addEntries(p, strings(body.add));
        const removed = await l.removeEntries(p, strings(body.remove));
        await kit.audit(
          admin,
          'rule_list.entries',
          body.part ?? '',
          `added ${added.added}, removed ${removed}`,
        );
        sendJson(res, 200, { ...added, removed });
      },
    ),

    '/api/lists/category': dashboard(
      ['POST'],
      'publish_lists',
      async (req, res, _url, note, admin) => {
        const l = managed(res, note);
        if (!l) return;
        const body = await jsonBody<{
          id?: unknown;
          label?: unknown;
          clause?: unknown;
          mode?: unknown;
          builtIn?: unknown;
          remove?: unknown;
        }>(req, res, note);
        if (!body) return;
        if (typeof body.id !== 'string')
          return fail(res, note, 400, 'invalid_id', 'id: the category id.');
        if (body.remove === true) await l.removeCategory(body.id);
        else {
          const settings: Parameters<ManagedLists['setCategory']>[1] = {};
          if (typeof body.label === 'string' || body.label === null) settings.label = body.label;
          if (typeof body.clause === 'string' || body.clause === null)
            settings.clause = body.clause;
          if (typeof body.mode === 'string') settings.mode = body.mode;
          if (typeof body.builtIn === 'boolean') settings.builtIn = body.builtIn;
          await l.setCategory(body.id, settings);
        }
        await kit.audit(
          admin,
          body.remove === true ? 'rule_list.category_remove' : 'rule_list.category',
          body.id,
          JSON.stringify(body).slice(0, 300),
        );
        sendJson(res, 200, await listState(l));
      },
    ),

    '/api/lists/import': dashboard(['POST'], 'publish_lists', async (req, res, url, note) => {
      const l = managed(res, note);
      if (!l) return;
      const p = part(res, note, url.searchParams.get('part'));
      if (!p) return;
      if (!(req.headers['content-type'] ?? '').startsWith('text/plain')) {
        return fail(res, note, 415, 'unsupported_media_type', 'Upload the list as text/plain.');
      }
      const body = await readBody(req, UPLOAD_LIMIT);
      if (!body.ok) {
        if (body.reason === 'aborted') return void res.destroy();
        return fail(res, note, 413, 'too_large', 'A list may be at most 96 MB; split it.');
      }
      const name = (url.searchParams.get('name') ?? 'upload').slice(0, 200);
      sendJson(
        res,
        200,
        await l.importList(
          p,
          body.body.toString('utf8'),
          url.searchParams.get('format') ?? 'auto',
          name,
        ),
      );
    }),

    '/api/lists/publish': dashboard(
      ['POST'],
      'publish_lists',
      async (_req, res, _url, note, admin) => {
        const l = managed(res, note);
        if (!l) return;
        const published = await l.publish();
        await kit.audit(
          admin,
          'rule_list.publish',
          String(published.version),
          'signed on the server',
        );
        sendJson(res, 200, { published });
      },
    ),

    '/api/lists/rollback': dashboard(
      ['POST'],
      'publish_lists',
      async (req, res, _url, note, admin) => {
        const l = managed(res, note);
        if (!l) return;
        const body = await jsonBody<{ version?: unknown }>(req, res, note);
        if (!body) return;
        if (typeof body.version !== 'number')
          return fail(res, note, 400, 'invalid_version', 'version: the version to restore.');
        const published = await l.rollback(body.version);
        await kit.audit(
          admin,
          'rule_list.rollback',
          String(published.version),
          `the content of version ${body.version}`,
        );
        sendJson(res, 200, { published });
      },
    ),

    '/api/lists/export': dashboard(['GET'], 'publish_lists', async (_req, res, url, note) => {
      const l = managed(res, note);
      if (!l) return;
      const restore = url.searchParams.get('restore');
      const draft = await l.exportDraft(restore ? Number(restore) : undefined);
      const body = Buffer.from(draft.text);
      res.writeHead(200, {
        'X-Content-Type-Options': 'nosniff',
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="steward-rule-list-${draft.version}.json"`,
        'Cache-Control': 'no-store',
        'Content-Length': body.length,
      });
      res.end(body);
    }),

    '/api/lists/upload': dashboard(
      ['POST'],
      'publish_lists',
      async (req, res, _url, note, admin) => {
        const l = managed(res, note);
        if (!l) return;
        const body = await jsonBody<{ list?: unknown; signature?: unknown }>(
          req,
          res,
          note,
          UPLOAD_LIMIT,
        );
        if (!body) return;
        if (typeof body.list !== 'string' || typeof body.signature !== 'string') {
          return fail(
            res,
            note,
            400,
            'invalid_upload',
            'Upload the list file and its .sig file together.',
          );
        }
        const published = await l.uploadSigned(new TextEncoder().encode(body.list), body.signature);
        await kit.audit(admin, 'rule_list.publish', String(published.version), 'signed offline');
        sendJson(res, 200, { published });
      },
    ),
  };
}
