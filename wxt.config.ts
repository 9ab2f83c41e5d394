import { createHash } from 'node:crypto';
import { defineConfig } from 'wxt';
import { extensionIdFor, extensionPublicKey } from './config/extension.ts';
import { DEFAULT_RULESET_ID, DEFAULT_RULESET_PATH, defaultRuleset } from './lib/default-ruleset.ts';
import { builtInCategoriesForBuild, builtInCategoriesPlugin } from './rules/vite-plugin.ts';

// Minimum Chrome 121: the rule compiler's limit checks assume the 30,000 dynamic-rule budget
// (5,000 of them redirect/modifyHeaders) that Chrome 121 introduced; before it, dynamic and
// session rules shared 5,000, and a category list that fits today would fail inside the browser.
export const MIN_CHROME_VERSION = '121';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({
    plugins: [builtInCategoriesPlugin()],
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  }),
  hooks: {
    // The built-in default as a static ruleset (lib/default-ruleset.ts): in force from install,
    // before the worker has run. Chrome only: its extension id (from the manifest key) is known
    // here, so the block page's URL is too; Firefox runs an event page, not a service worker that
    // can be stopped during its first start, and gives each install its own random id.
    'build:publicAssets': async (wxt, files) => {
      if (wxt.config.browser === 'firefox') return;
      const builtIn = builtInCategoriesForBuild();
      if ('error' in builtIn) throw new Error(builtIn.error);
      const rules = await defaultRuleset({
        builtIn,
        blockPageUrl: `chrome-extension://${extensionIdFor(extensionPublicKey())}/blocked.html`,
        sha256: async (text) => createHash('sha256').update(text).digest('hex'),
      });
      files.push({ relativeDest: DEFAULT_RULESET_PATH, contents: JSON.stringify(rules) });
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extensionName__',
    description: '__MSG_extensionDescription__',
    default_locale: 'en_GB',
    ...(browser === 'firefox'
      ? {}
      : { key: extensionPublicKey(), minimum_chrome_version: MIN_CHROME_VERSION }),
    // scripting: the webmail content script on self-hosted webmail named in policy (webmailSites).
    // identity + identity.email: read only when policy sets reportIdentity "email" (the signed-in
    // school account names the report); with the default "installation" they are never used.
    // downloads: stop software downloads (policy key `downloads`); no prompt for an extension
    // installed by policy.
    permissions: [
      'declarativeNetRequest',
      'storage',
      'alarms',
      'scripting',
      'downloads',
      // Counting: a block page is counted only for a navigation the worker saw start.
      'webNavigation',
      ...(browser === 'firefox' ? [] : ['identity', 'identity.email']),
    ],
    // Redirecting a navigation to the block page needs host access for the request; webmail
    // content scripts (send warnings, personal labels) also run on school-hosted webmail whose
    // host only the policy knows.
    host_permissions: ['<all_urls>'],
    storage: { managed_schema: 'managed_schema.json' },
    ...(browser === 'firefox'
      ? {}
      : {
          declarative_net_request: {
            rule_resources: [{ id: DEFAULT_RULESET_ID, enabled: true, path: DEFAULT_RULESET_PATH }],
          },
        }),
    // The block page (the rules redirect to it) and the worker check that webmail pages frame
    // when nobody answers their messages (lib/worker-repair.ts): self-hosted webmail's hosts are
    // known only from policy, so both are open to every site, as the block page always was.
    web_accessible_resources: [
      { resources: ['blocked.html', 'worker-check.html'], matches: ['<all_urls>'] },
    ],
    action: { default_title: '__MSG_extensionName__' },
  }),
});
