/**
 * Mounts the personal-mailbox label (components/PersonalLabel.tsx) in a shadow root, keeps it
 * there (a page that re-renders its body does not take it away) and remembers per host whether
 * staff collapsed it, for this browser session.
 */
import { h, render } from 'preact';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import {
  createShadowRootUi,
  type ShadowRootContentScriptUi,
} from 'wxt/utils/content-script-ui/shadow-root';
import { PersonalLabel, type PersonalLabelProps } from '../../components/PersonalLabel.tsx';
import styles from '../../components/personal-label.css?inline';

export const LABEL_HOST = 'steward-personal-label';

export type LabelContent = Omit<PersonalLabelProps, 'collapsed' | 'onToggle'>;

const collapseKey = (host: string) => `mailboxLabelCollapsed:${host}`;

/**
 * Collapsed state lives in `storage.session` (gone when the browser closes, so each day starts
 * with the full reminder). Content scripts can use it only when the service worker has opened it
 * to them (`setAccessLevel`); otherwise the tab's own sessionStorage is the fallback (per tab, and
 * the page could clear it, which only brings the full label back).
 */
async function readCollapsed(host: string): Promise<boolean> {
  try {
    const got = await browser.storage.session.get(collapseKey(host));
    return got[collapseKey(host)] === true;
  } catch {
    try {
      return sessionStorage.getItem(`steward:${collapseKey(host)}`) === '1';
    } catch {
      return false;
    }
  }
}

async function writeCollapsed(host: string, collapsed: boolean): Promise<void> {
  try {
    await browser.storage.session.set({ [collapseKey(host)]: collapsed });
  } catch {
    try {
      sessionStorage.setItem(`steward:${collapseKey(host)}`, collapsed ? '1' : '0');
    } catch {
      // Storage refused: the state lasts as long as the page.
    }
  }
}

export class PersonalLabelUi {
  private ui: ShadowRootContentScriptUi<HTMLElement> | null = null;
  private mounting: Promise<void> | null = null;
  private content: LabelContent | null = null;
  private collapsed = false;
  private collapsedLoaded: Promise<void>;

  constructor(
    private readonly ctx: ContentScriptContext,
    private readonly host = location.hostname,
  ) {
    this.collapsedLoaded = readCollapsed(host).then((c) => {
      this.collapsed = c;
    });
  }

  /** Show (or update) the label; mounts it again if the page removed it. */
  async show(content: LabelContent): Promise<void> {
    this.content = content;
    await this.collapsedLoaded;
    if (this.ui && !this.ui.shadowHost.isConnected) {
      this.ui.remove();
      this.ui = null;
    }
    if (!this.ui) {
      this.mounting ??= this.mount().finally(() => {
        this.mounting = null;
      });
      await this.mounting;
    }
    this.render();
  }

  hide(): void {
    this.content = null;
    this.ui?.remove();
    this.ui = null;
  }

  get shown(): boolean {
    return this.content !== null;
  }

  private async mount(): Promise<void> {
    const ui = await createShadowRootUi(this.ctx, {
      name: LABEL_HOST,
      position: 'inline',
      anchor: 'body',
      append: 'last',
      css: styles,
      // Keys typed on the toggle must not reach the webmail's own shortcuts.
      isolateEvents: ['keydown', 'keyup', 'keypress'],
      onMount: (container) => container,
      onRemove: (container) => {
        if (container) render(null, container);
      },
    });
    if (this.ctx.isInvalid || !this.content) return;
    ui.mount();
    this.ui = ui;
  }

  private render(): void {
    if (!this.ui?.mounted || !this.content) return;
    render(
      h(PersonalLabel, {
        ...this.content,
        collapsed: this.collapsed,
        onToggle: () => {
          this.collapsed = !this.collapsed;
          void writeCollapsed(this.host, this.collapsed);
          this.render();
        },
      }),
      this.ui.mounted,
    );
  }
}
