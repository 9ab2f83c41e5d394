/**
 * The personal-mailbox label (issue 6): a small panel fixed to the bottom-left corner of the
 * webmail, in its own shadow root (webmail/mailbox/label-ui.ts), that says this is a personal
 * mailbox and carries the school's reminder. Staff can collapse it to a one-line tab; they cannot
 * close it. Why the corner and not a top banner: Gmail and Outlook size themselves to the window
 * and put their search, account and Send controls along the top and bottom-right, so a banner
 * would either cover them or push the page's bottom edge (compose Send buttons) off screen.
 *
 * In `block` mode (policy `mailbox.personalWebmail: "block"`) it covers the page instead: the
 * mailbox stays loaded underneath but cannot be used.
 */
import { t } from './i18n.ts';

export type PersonalLabelProps = {
  mode: 'label' | 'block';
  /** The policy's reminder (`mailbox.labelText`). */
  reminder: string;
  /** The signed-in address, when the page shows it. */
  account?: string;
  schoolName?: string;
  collapsed: boolean;
  onToggle(): void;
};

export function PersonalLabel(props: PersonalLabelProps) {
  const notSchool = props.schoolName
    ? t('mailbox_label_not_school_named', props.schoolName)
    : t('mailbox_label_not_school');
  if (props.mode === 'block') {
    return (
      <div class="cover" role="alertdialog" aria-modal="true" aria-labelledby="steward-pm-title">
        <div class="cover-card">
          <h2 id="steward-pm-title">{t('mailbox_blocked_heading')}</h2>
          <p>{notSchool}</p>
          {props.account ? (
            <p data-testid="personal-label-account">{t('mailbox_label_account', props.account)}</p>
          ) : null}
          <p class="reminder">{props.reminder}</p>
          <p>{t('mailbox_blocked_next')}</p>
        </div>
      </div>
    );
  }
  return (
    <section
      class={props.collapsed ? 'label is-collapsed' : 'label'}
      aria-labelledby="steward-pm-title"
      data-testid="personal-label"
    >
      <div class="head">
        <span class="badge" aria-hidden="true">
          !
        </span>
        <h2 id="steward-pm-title">{t('mailbox_label_heading')}</h2>
        <button
          type="button"
          class="toggle"
          aria-expanded={props.collapsed ? 'false' : 'true'}
          aria-controls="steward-pm-body"
          onClick={props.onToggle}
          data-testid="personal-label-toggle"
        >
          {props.collapsed ? t('mailbox_label_expand') : t('mailbox_label_collapse')}
        </button>
      </div>
      <div id="steward-pm-body" class="body" hidden={props.collapsed}>
        <p>{notSchool}</p>
        {props.account ? (
          <p data-testid="personal-label-account">{t('mailbox_label_account', props.account)}</p>
        ) : null}
        <p class="reminder" data-testid="personal-label-reminder">
          {props.reminder}
        </p>
      </div>
    </section>
  );
}
