/**
 * How Steward is installed, for the popup: installed by policy or not, whether it runs in
 * private (incognito) windows, and the gaps and checks for IT (lib/install-status.ts explains
 * what the browser can and cannot tell). Pass `status` to render a known state (tests); without
 * it the component reads the browser.
 */
import { useEffect, useState } from 'preact/hooks';
import type { InstallStatus as Status } from '../lib/install-status.ts';
import { t } from './i18n.ts';

export function InstallStatus({
  status: given,
  read,
}: {
  status?: Status;
  /** How the entrypoint reads the browser (platform/install-status.ts). */
  read?: () => Promise<Status>;
}) {
  const [status, setStatus] = useState<Status | null>(given ?? null);

  useEffect(() => {
    if (given || !read) return;
    let live = true;
    void read().then((s) => {
      if (live) setStatus(s);
    });
    return () => {
      live = false;
    };
  }, [given, read]);

  if (!status) return null;
  return (
    <section data-testid="install-status" aria-labelledby="install-status-title">
      <h2 id="install-status-title">{t('install_title')}</h2>
      <p data-testid="install-policy" class={status.policyInstalled ? '' : 'notice'}>
        {t(status.policyInstalled ? 'install_policy_yes' : 'install_policy_no')}
      </p>
      <p data-testid="install-incognito">{t(`install_incognito_${status.incognito}`)}</p>
      {status.gaps.length > 0 && (
        <div class="error" role="alert">
          <p>{t('install_gaps')}</p>
          <ul>
            {status.gaps.map((gap) => (
              <li key={gap.code} data-testid="install-gap" data-code={gap.code}>
                {t(`install_note_${gap.code}`, status.incognitoPolicy)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {status.checks.length > 0 && (
        <>
          <p>{t('install_checks')}</p>
          <ul>
            {status.checks.map((check) => (
              <li key={check.code} data-testid="install-check" data-code={check.code}>
                {t(`install_note_${check.code}`, status.incognitoPolicy)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
