/**
 * The light reminder when a message to someone outside the school lacks the school's standard
 * disclaimer (policy `compose.disclaimer`; seeds 001 and 004: "The school standard disclaimer
 * should always be used on every e-mail"). It never blocks: "Send without it" is one click, and the
 * draft changes only on "Add it and send". Same shadow root and keyboard rules as the send warning.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from './i18n.ts';
import { modalKeyDown } from './modal-keys.ts';

export type DisclaimerReminderProps = {
  disclaimer: string;
  schoolName?: string;
  /** False when the disclaimer could not be added (nothing was sent). */
  onAddAndSend(): boolean;
  onSendWithout(): void;
  onGoBack(): void;
};

export function DisclaimerReminder(props: DisclaimerReminderProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const add = useRef<HTMLButtonElement>(null);
  const [failed, setFailed] = useState(false);
  const school = props.schoolName || t('warning_the_school');

  useEffect(() => {
    add.current?.focus();
  }, []);

  return (
    <div class="backdrop">
      <div
        ref={dialog}
        class="dialog is-reminder"
        role="dialog"
        aria-modal="true"
        aria-labelledby="steward-disclaimer-title"
        aria-describedby="steward-disclaimer-lead"
        data-testid="disclaimer-reminder"
        onKeyDown={(e) => modalKeyDown(e, dialog.current, props.onGoBack)}
      >
        <p class="brand">{t('warning_brand')}</p>
        <h2 id="steward-disclaimer-title">{t('disclaimer_title')}</h2>
        <p id="steward-disclaimer-lead">{t('disclaimer_missing', school)}</p>
        <blockquote class="quote">
          <p>{t('disclaimer_policy_quote')}</p>
          <footer>{t('warning_policy_source')}</footer>
        </blockquote>
        <h3 id="steward-disclaimer-text">{t('disclaimer_text_heading')}</h3>
        <p class="disclaimer-text">{props.disclaimer}</p>
        {failed && (
          <p class="notice is-error" role="alert">
            {t('disclaimer_failed')}
          </p>
        )}
        <div class="actions">
          <button
            ref={add}
            type="button"
            class="primary"
            onClick={() => {
              if (!props.onAddAndSend()) setFailed(true);
            }}
          >
            {t('disclaimer_add_and_send')}
          </button>
          <button type="button" class="secondary" onClick={() => props.onSendWithout()}>
            {t('disclaimer_send_without')}
          </button>
          <button type="button" class="secondary" onClick={() => props.onGoBack()}>
            {t('warning_go_back')}
          </button>
        </div>
      </div>
    </div>
  );
}
