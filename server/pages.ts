/** Server-rendered pages: the login form and the shell the Preact dashboard mounts into. */

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/dashboard.css">
${head}
</head>
<body>
${body}
</body>
</html>`;
}

export function loginPage(options: {
  error?: string;
  /** Set when sign-in with the school's Google or Microsoft account is configured. */
  oidcName: string | null;
  username?: string;
}): string {
  const error = options.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(options.error)}</p>`
    : '';
  const described = options.error ? ' aria-describedby="login-error"' : '';
  const oidc = options.oidcName
    ? `<p><a class="button" href="/login/oidc">Sign in with ${escapeHtml(options.oidcName)}</a></p>
<h2>Or sign in with a password</h2>`
    : '';
  return page(
    'Sign in – Steward reports',
    `<main class="narrow">
<h1>Steward reports</h1>
<p>Counts of blocked access and email warnings from the school's browsers. Sign in to see them.</p>
${error}
${oidc}
<form method="post" action="/login" class="login">
  <label for="username">Email address or account name</label>
  <input id="username" name="username" type="text" autocomplete="username" required value="${escapeHtml(
    options.username ?? '',
  )}"${described}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${described}>
  <button type="submit">Sign in</button>
</form>
<p class="hint">No account yet? The school's IT admin adds people on the dashboard's People page.</p>
</main>`,
  );
}

export function dashboardShell(): string {
  return page(
    'Steward reports',
    `<div id="app"><main><h1>Steward reports</h1><p>Loading the reports…</p></main></div>
<noscript><p>The dashboard needs JavaScript. The same figures are in the CSV export:
<a href="/api/export.csv">download the counts as CSV</a>.</p></noscript>`,
    '<link rel="stylesheet" href="/assets/uplot.css">\n<script type="module" src="/assets/dashboard.js"></script>',
  );
}
