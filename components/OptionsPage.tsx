/**
 * Options page, for IT admins checking a browser: the effective policy and where each part comes
 * from, the rule list's status and last fetches, and "test a URL" (which rule decides, computed by
 * the compiler's own matching over the rules in force).
 */
import { useEffect, useState } from 'preact/hooks';
import { webAddressFrom } from '../lib/block-verdict.ts';
import { BLOCK_LIST_CATEGORY, type UrlVerdict } from '../lib/compiler.ts';
// Registers RE2 so that refused school patterns are reported with their reason.
import '../lib/dlp/custom-patterns.ts';
import { composePolicyErrors } from '../lib/dlp/policy.ts';
import type { EnforcementState } from '../lib/enforcement-state.ts';
import { messenger } from '../lib/messages.ts';
import { DEFAULT_POLICY, type StewardPolicy } from '../lib/policy.ts';
import type { ReportState } from '../lib/report/index.ts';
import type { RuleListStatus } from '../lib/rule-list/status.ts';
import { ComposeErrors } from './ComposeErrors.tsx';
import { categoryLabel, t } from './i18n.ts';
import type { Stored } from './stored.ts';
import { sendToWorker } from './worker-line.ts';
import './options.css';

// "Test a site", the reporting state and "Refresh now" also go on the worker's direct line when the
// browser's messaging does not deliver (lib/direct-line.ts).
const send = messenger<'extension page'>(sendToWorker);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fmt = (n: number) => n.toLocaleString('en-GB');
const when = (ms: number | null | undefined) =>
  ms ? new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' }) : '—';

function useStored<T>(item: Stored<T>) {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    void item.getValue().then(setValue);
    return item.watch((v) => setValue(v));
  }, [item]);
  return value;
}

export type OptionsSources = {
  enforcementState: Stored<EnforcementState>;
  effectivePolicy: Stored<StewardPolicy>;
  ruleListStatus: Stored<RuleListStatus>;
};

export function OptionsPage({ sources }: { sources: OptionsSources }) {
  const state = useStored(sources.enforcementState);
  const policy = useStored(sources.effectivePolicy);
  const ruleList = useStored(sources.ruleListStatus);

  return (
    <main class="options">
      <h1>{t('options_title')}</h1>
      <TestUrl />
      {state && policy && <EffectivePolicy state={state} policy={policy} />}
      {ruleList && <RuleListSection status={ruleList} />}
      {policy && <ReportingSection reportUrl={policy.reportUrl} />}
    </main>
  );
}

function TestUrl() {
  const [url, setUrl] = useState('');
  const [verdict, setVerdict] = useState<UrlVerdict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const test = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setVerdict(null);
    const candidate = webAddressFrom(url);
    if (candidate === null) {
      setError(t('options_test_invalid'));
      return;
    }
    setBusy(true);
    try {
      // In the first moments of a fresh install the rules are still being applied: say so, and
      // test once they are in force rather than answer "allowed" from an empty rule set.
      for (let attempt = 0; ; attempt++) {
        const reply = await send('options/testUrl', { url: candidate });
        if (reply.kind === 'verdict') {
          setVerdict(reply.verdict);
          setError(null);
          return;
        }
        if (reply.kind === 'invalid') {
          setError(t('options_test_invalid'));
          return;
        }
        setError(t('options_test_applying'));
        if (attempt >= 60) return;
        await sleep(500);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="test-heading">
      <h2 id="test-heading">{t('options_test_heading')}</h2>
      <form onSubmit={test} class="test-form">
        <label for="test-url">{t('options_test_label')}</label>
        <input
          id="test-url"
          type="text"
          inputMode="url"
          autoComplete="off"
          spellcheck={false}
          value={url}
          onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
          placeholder="https://www.youtube.com/watch?v=…"
        />
        <button type="submit" class="primary" disabled={busy || url.trim() === ''}>
          {t('options_test_button')}
        </button>
      </form>
      <div aria-live="polite" data-testid="test-url-result">
        {error && <p class="error">{error}</p>}
        {verdict && <VerdictText verdict={verdict} />}
      </div>
    </section>
  );
}

function VerdictText({ verdict }: { verdict: UrlVerdict }) {
  if (!('source' in verdict)) return <p>{t('options_test_no_rule')}</p>;
  const source =
    verdict.source === 'allowList'
      ? t('options_source_allowList')
      : verdict.source === BLOCK_LIST_CATEGORY
        ? t('options_source_blockList')
        : verdict.source === 'category exception'
          ? t('options_source_exception')
          : categoryLabel(verdict.source);
  const key =
    verdict.outcome === 'blocked'
      ? 'options_test_blocked'
      : verdict.outcome === 'warned'
        ? 'options_test_warned'
        : 'options_test_allowed';
  return (
    <p class={`verdict verdict-${verdict.outcome}`}>
      {t(key, source, verdict.entry)}{' '}
      <span class="muted">{t('options_test_rule', verdict.ruleId, verdict.priority)}</span>
    </p>
  );
}

function EffectivePolicy({ state, policy }: { state: EnforcementState; policy: StewardPolicy }) {
  // A policy stored by an older version lacks the newer keys: show their defaults.
  const downloads = { ...DEFAULT_POLICY.downloads, ...policy.downloads };
  const safeSearch = { ...DEFAULT_POLICY.safeSearch, ...policy.safeSearch };
  return (
    <section aria-labelledby="policy-heading">
      <h2 id="policy-heading">{t('options_policy_heading')}</h2>
      <p>
        {state.source === 'managed' ? t('options_policy_managed') : t('options_policy_default')}{' '}
        {t('options_policy_version', state.policyVersion)}
      </p>
      {state.policyErrors.length > 0 && (
        <div role="alert" class="error">
          <p>{t('popup_policy_error')}</p>
          <ul>
            {state.policyErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <ComposeErrors errors={composePolicyErrors(policy)} />
      <table>
        <caption>{t('options_categories_caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('block_category')}</th>
            <th scope="col">{t('options_col_mode')}</th>
            <th scope="col">{t('options_col_mode_from')}</th>
            <th scope="col">{t('options_col_list_from')}</th>
            <th scope="col">{t('options_col_domains')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(state.categories).map(([category, mode]) => (
            <tr key={category}>
              <th scope="row">
                {categoryLabel(category)}
                {category === 'extremism' && state.origins?.[category]?.list !== 'rule list' && (
                  <p class="muted" data-testid="extremism-empty">
                    {t('options_extremism_empty')}
                  </p>
                )}
              </th>
              <td data-testid={`mode-${category}`}>
                {t(`mode_${mode}`)}
                {state.origins?.[category]?.locked && (
                  <>
                    {' · '}
                    <strong data-testid={`locked-${category}`}>{t('options_locked')}</strong>
                  </>
                )}
              </td>
              <td>
                {state.origins?.[category]?.mode === 'managed policy'
                  ? t('options_mode_from_managed')
                  : t('options_mode_from_default')}
              </td>
              <td>
                {state.origins?.[category]?.list === 'rule list'
                  ? t('options_from_rule_list', state.ruleListVersion ?? '?')
                  : t('options_from_built_in')}
              </td>
              <td class="num">{fmt(state.summary?.domainsByCategory[category] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.values(state.origins ?? {}).some((o) => o.locked) && (
        <p>{t('options_locked_note')}</p>
      )}
      <dl class="facts">
        <div>
          <dt>{t('options_downloads')}</dt>
          <dd data-testid="downloads-setting">
            {t(
              'options_downloads_mode',
              t(`mode_${downloads.mode}`),
              downloads.allowFrom.length > 0 ? downloads.allowFrom.join(', ') : t('options_none'),
            )}
          </dd>
        </div>
        <div>
          <dt>{t('options_safe_search')}</dt>
          <dd data-testid="safe-search-setting">
            {t(
              safeSearch.enabled ? 'options_safe_search_on' : 'options_safe_search_off',
              safeSearch.youtube,
            )}
          </dd>
        </div>
        <div>
          <dt>{t('options_allow_list')}</dt>
          <dd>{policy.allowList.length > 0 ? policy.allowList.join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>{t('options_block_list')}</dt>
          <dd>{policy.blockList.length > 0 ? policy.blockList.join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>{t('options_org_domains')}</dt>
          <dd>{policy.orgDomains.length > 0 ? policy.orgDomains.join(', ') : '—'}</dd>
        </div>
        <div>
          <dt>{t('options_rules')}</dt>
          <dd>
            {t(
              'options_rules_detail',
              fmt(state.summary?.rules ?? 0),
              fmt(state.summary?.regexRules ?? 0),
              fmt(state.summary?.unsafeRules ?? 0),
            )}
          </dd>
        </div>
        <div>
          <dt>{t('options_applied')}</dt>
          <dd>{when(state.appliedAt)}</dd>
        </div>
        <div>
          <dt>{t('options_report_url')}</dt>
          <dd>{policy.reportUrl ?? '—'}</dd>
        </div>
      </dl>
    </section>
  );
}

function RuleListSection({ status }: { status: RuleListStatus }) {
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState('');
  const check = async () => {
    setChecking(true);
    try {
      const reply = await send('options/refreshRuleList', {});
      setMessage(
        reply.outcome === 'error' ? (reply.message ?? '') : t(`options_check_${reply.outcome}`),
      );
    } finally {
      setChecking(false);
    }
  };
  return (
    <section aria-labelledby="rule-list-heading">
      <h2 id="rule-list-heading">{t('popup_rule_list')}</h2>
      {!status.url ? (
        <p>{t('options_rule_list_not_set')}</p>
      ) : (
        <>
          <dl class="facts">
            <div>
              <dt>{t('options_rule_list_url')}</dt>
              <dd>{status.url}</dd>
            </div>
            <div>
              <dt>{t('options_rule_list_version')}</dt>
              <dd data-testid="options-rule-list-version">{status.version ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('options_rule_list_issued')}</dt>
              <dd>{status.issuedAt ? when(Date.parse(status.issuedAt)) : '—'}</dd>
            </div>
            <div>
              <dt>{t('options_rule_list_last_check')}</dt>
              <dd>{when(status.lastCheckAt)}</dd>
            </div>
          </dl>
          {status.error && (
            <p role="alert" class="error">
              {t('popup_rule_list_error', status.error.message)}
            </p>
          )}
          <button type="button" onClick={check} disabled={checking}>
            {t('options_check_now')}
          </button>
          <p aria-live="polite">{message}</p>
          <table>
            <caption>{t('options_fetches_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('block_when')}</th>
                <th scope="col">{t('options_col_outcome')}</th>
                <th scope="col">{t('options_col_detail')}</th>
              </tr>
            </thead>
            <tbody>
              {status.fetches.map((f) => (
                <tr key={f.at}>
                  <td>{when(f.at)}</td>
                  <td>{t(`options_fetch_${f.outcome}`)}</td>
                  <td>
                    {f.message ?? (f.version ? t('options_rule_list_version_n', f.version) : '')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function ReportingSection({ reportUrl }: { reportUrl: string | undefined }) {
  const [state, setState] = useState<ReportState | null>(null);
  const [message, setMessage] = useState('');
  const [sending, setSending] = useState(false);
  const refresh = () => void send('options/reportingState', {}).then(setState);
  useEffect(refresh, []);

  const sendNow = async () => {
    setSending(true);
    try {
      const result = await send('options/sendReportsNow', {});
      setMessage(
        result.error
          ? t('options_report_failed', result.error)
          : t('options_report_sent', result.delivered.length),
      );
      refresh();
    } finally {
      setSending(false);
    }
  };

  return (
    <section aria-labelledby="reporting-heading">
      <h2 id="reporting-heading">{t('options_reporting_heading')}</h2>
      {!reportUrl ? (
        <p>{t('options_reporting_not_set')}</p>
      ) : (
        <>
          {state && (
            <dl class="facts" data-testid="reporting-state">
              <div>
                <dt>{t('options_report_unsent')}</dt>
                <dd>{fmt(state.unsent.count)}</dd>
              </div>
              <div>
                <dt>{t('options_report_pending')}</dt>
                <dd>{fmt(state.pending.length)}</dd>
              </div>
              <div>
                <dt>{t('options_report_last_delivered')}</dt>
                <dd>{when(state.lastDeliveredAt)}</dd>
              </div>
              {state.lastError && (
                <div>
                  <dt>{t('options_report_last_error')}</dt>
                  <dd>{state.lastError.message}</dd>
                </div>
              )}
            </dl>
          )}
          <button type="button" onClick={sendNow} disabled={sending}>
            {t('options_report_send_now')}
          </button>
          <p aria-live="polite">{message}</p>
        </>
      )}
    </section>
  );
}
