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

export function loginPage(options: { error?: string; disabled?: boolean }): string {
  const error = options.error
    ? `<p class="error" role="alert" id="login-error">${escapeHtml(options.error)}</p>`
    : '';
  const form = options.disabled
    ? `<p class="error" role="alert">The dashboard is switched off because no admin password is set.
Set <code>STEWARD_ADMIN_PASSWORD</code> when you start the server, then reload this page.</p>`
    : `<form method="post" action="/login" class="login">
  <input type="text" name="username" value="admin" autocomplete="username" hidden>
  <label for="password">Admin password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus${
    options.error ? ' aria-describedby="login-error"' : ''
  }>
  <button type="submit">Sign in</button>
</form>`;
  return page(
    'Sign in – Steward reports',
    `<main class="narrow">
<h1>Steward reports</h1>
<p>Counts of blocked access and email warnings from the school's browsers. Sign in to see them.</p>
${error}
${form}
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
