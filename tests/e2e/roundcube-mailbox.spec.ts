/**
 * Personal mailboxes on a REAL Roundcube (issue 6), reached at a school hostname named in policy
 * `webmailSites`, so Steward's runtime-registered webmail script runs on it as on a school's own
 * webmail. The SMTP sink is the proof that the "Personal" control changes what Roundcube sends.
 */
import { request as httpRequest } from 'node:http';
import type { BrowserContext, Page } from '@playwright/test';
import {
  applyPolicy,
  expect,
  serviceWorkerOf,
  test,
  WITHOUT_EXTENSION,
} from './support/extension.ts';
import {
  clickSend,
  login,
  loginAndCompose,
  missingRoundcubePackages,
  type RoundcubeEnv,
  startRoundcube,
  waitForSent,
} from './support/roundcube.ts';
import type { SiteServer } from './support/sites.ts';

const ORG = 'stmarys-school.org.uk';
const HOST = `webmail.${ORG}`;
const TEACHER = { email: `teacher@${ORG}`, password: 'password' };
/** A personal account someone has on the school's Roundcube host (e.g. forwarded IMAP). */
const PERSONAL = { email: 'jo.smith@gmail.com', password: 'password' };
const FRIEND = 'friend@hotmail.co.uk';

const missing = missingRoundcubePackages();
test.skip(
  missing.length > 0 && !process.env.CI,
  `Roundcube packages missing (${missing.join(', ')}): run scripts/roundcube/install.sh`,
);

let env: RoundcubeEnv;
let school: RoundcubeEnv;
let proxyTarget: URL | null = null;
const proxied = new WeakSet<SiteServer>();

function proxyRoundcube(sites: SiteServer) {
  if (proxied.has(sites)) return;
  proxied.add(sites);
  sites.handle((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (host !== HOST || !proxyTarget) return false;
    const upstream = httpRequest(
      {
        host: proxyTarget.hostname,
        port: proxyTarget.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy error: ${e.message}`);
    });
    req.pipe(upstream);
    return true;
  });
}

async function webmailScriptRegistered(context: BrowserContext): Promise<void> {
  if (WITHOUT_EXTENSION) return;
  const worker = await serviceWorkerOf(context);
  await expect
    .poll(
      () =>
        worker.evaluate(async () => {
          type Scripting = {
            getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]>;
          };
          const { chrome } = globalThis as unknown as { chrome: { scripting: Scripting } };
          const scripts = await chrome.scripting.getRegisteredContentScripts();
          return scripts.flatMap((s) => s.matches ?? []);
        }),
      { timeout: 10_000 },
    )
    .toContain(`http://${HOST}/*`);
}

test.beforeAll(async ({ browserContext, sites }) => {
  test.setTimeout(90_000);
  env = await startRoundcube({ users: [TEACHER, PERSONAL] });
  proxyTarget = new URL(env.url);
  school = { ...env, url: `http://${HOST}/` };
  proxyRoundcube(sites);
  await applyPolicy(browserContext, {
    orgDomains: [ORG],
    schoolName: "St Mary's School",
    webmailSites: [{ service: 'roundcube', host: HOST }],
  });
  await webmailScriptRegistered(browserContext);
});

test.afterAll(async () => {
  proxyTarget = null;
  await env?.stop();
});

test.beforeEach(() => env.clear());

const subjectToggle = (page: Page) => page.getByTestId('personal-subject-toggle');

async function logout(page: Page) {
  await page.context().clearCookies();
}

test('school account: no label; Personal labels the subject once and Roundcube sends it', async ({
  page,
}) => {
  await loginAndCompose(page, school, {
    user: TEACHER,
    to: FRIEND,
    subject: 'Saturday',
    body: 'See you at the match.',
  });
  await expect(subjectToggle(page)).toBeVisible();
  await expect(page.locator('steward-personal-label')).toHaveCount(0);

  const subject = page.locator('#compose-subject');
  await subjectToggle(page).click();
  await expect(subject).toHaveValue('PERSONAL: Saturday');
  await subjectToggle(page).click();
  await expect(subject).toHaveValue('Saturday');
  await subjectToggle(page).click();
  await subjectToggle(page).click();
  await subjectToggle(page).click();
  await expect(subject).toHaveValue('PERSONAL: Saturday');

  await clickSend(page);
  await waitForSent(page);
  const [message] = await env.waitForMessages(1);
  expect(message?.subject).toBe('PERSONAL: Saturday');
  expect(message?.envelopeTo).toEqual([FRIEND]);
  await logout(page);
});

test('a personal account on the school’s webmail host is labelled', async ({ page }) => {
  await logout(page);
  await login(page, school, PERSONAL);
  const label = page.locator('steward-personal-label').getByTestId('personal-label');
  await expect(label).toBeVisible();
  await expect(page.getByTestId('personal-label-account')).toHaveText(
    `Signed in as ${PERSONAL.email}`,
  );
  await logout(page);
});
