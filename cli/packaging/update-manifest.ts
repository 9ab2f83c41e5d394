/**
 * The self-hosting update manifest ("gupdate" XML) that Chrome and Edge fetch from the update URL
 * in policy: it names the extension ID, the newest version and where its CRX is.
 */

const escapeXml = (s: string) =>
  s.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

export type UpdateManifestInput = { extensionId: string; version: string; crxUrl: string };

export function updateManifestXml({ extensionId, version, crxUrl }: UpdateManifestInput): string {
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    "<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>",
    `  <app appid='${escapeXml(extensionId)}'>`,
    `    <updatecheck codebase='${escapeXml(crxUrl)}' version='${escapeXml(version)}' />`,
    '  </app>',
    '</gupdate>',
    '',
  ].join('\n');
}

/** Chrome's extension version: one to four dot-separated integers 0–65535, not all zero. */
export function isExtensionVersion(version: string): boolean {
  const parts = version.split('.');
  return (
    parts.length >= 1 &&
    parts.length <= 4 &&
    parts.every((p) => /^(0|[1-9]\d{0,4})$/.test(p) && Number(p) <= 65535) &&
    parts.some((p) => p !== '0')
  );
}

/** The base URL with exactly one trailing slash, so file names can be appended. */
export function normaliseBaseUrl(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/**
 * Firefox's update manifest (updates.json) for an add-on signed on addons.mozilla.org as
 * unlisted and hosted by the school: AMO does not offer updates for unlisted add-ons.
 */
export function firefoxUpdatesJson(input: { geckoId: string; version: string; xpiUrl: string }) {
  return `${JSON.stringify(
    {
      addons: {
        [input.geckoId]: { updates: [{ version: input.version, update_link: input.xpiUrl }] },
      },
    },
    null,
    2,
  )}\n`;
}
