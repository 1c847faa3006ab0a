// The simulated Keycloak's login page: the interaction oidc-provider hands the browser to when an
// authorization request needs a signed-in user. It looks and is addressed like Keycloak's own theme
// (form `#kc-form-login`, fields `#username` and `#password`, button `#kc-login`, the realm's
// `login-actions/authenticate` path, Keycloak's wording for wrong credentials and a lost cookie), so a
// login script written against the simulator runs against the real Keycloak unchanged.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { default as ProviderType } from 'oidc-provider';
import { SIM_DEMO } from '../identity.js';
import { escapeHtml, readForm, sendHtml } from './http.js';

/** Where the interaction lives, below the realm (Keycloak's path); the provider's cookie is scoped to it. */
export const LOGIN_ACTIONS_PATH = '/login-actions/authenticate';

export function loginActionsUrl(realmPath: string, uid: string): string {
  return `${realmPath}${LOGIN_ACTIONS_PATH}/${uid}`;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 "Liberation Sans",Arial,sans-serif;color:#1f2328;background:#f0f2f5}
main{max-width:420px;margin:64px auto;padding:32px;background:#fff;border:1px solid #d0d7de;border-radius:6px}
h1{font-size:24px;margin:0 0 24px}
p.realm{margin:0 0 8px;font-size:14px;color:#57606a;text-transform:uppercase;letter-spacing:.04em}
label{display:block;font-weight:bold;margin:16px 0 4px}
input{width:100%;padding:8px;font:inherit;border:1px solid #8c959f;border-radius:4px}
button{margin-top:24px;width:100%;padding:10px;font:inherit;font-weight:bold;color:#fff;background:#0b5cad;border:0;border-radius:4px}
.alert{padding:12px;border:1px solid #cf222e;background:#ffebe9;color:#82071e;border-radius:4px}
`;

function loginPage(action: string, error?: string, username = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Sign in to Sevensa</title>
<style>${STYLE}</style>
</head>
<body>
<main id="kc-content">
<p class="realm">Sevensa</p>
<h1 id="kc-page-title">Sign in to your account</h1>
${error ? `<div class="alert" id="input-error" role="alert">${escapeHtml(error)}</div>` : ''}
<form id="kc-form-login" action="${escapeHtml(action)}" method="post">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" autocomplete="username" value="${escapeHtml(username)}" autofocus${error ? ' aria-invalid="true" aria-describedby="input-error"' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password"${error ? ' aria-invalid="true"' : ''}>
<button id="kc-login" name="login" type="submit">Sign In</button>
</form>
</main>
</body>
</html>
`;
}

function errorPage(status: number, message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Sign in to Sevensa</title><style>${STYLE}</style></head>
<body><main id="kc-content"><h1 id="kc-page-title">We are sorry...</h1><p id="kc-error-message" role="alert">${escapeHtml(message)}</p><p>HTTP ${status}</p></main></body>
</html>
`;
}

/**
 * Serves GET (the form) and POST (the credentials) of one interaction. The interaction is found by the
 * provider through its cookie; without it the answer is Keycloak's "Cookie not found" page, which is what
 * a browser that dropped the cookie (Secure over plain HTTP, third-party blocking) sees on the real one.
 */
export async function handleLoginAction(
  provider: ProviderType,
  req: IncomingMessage,
  res: ServerResponse,
  action: string,
): Promise<void> {
  let details: Awaited<ReturnType<ProviderType['interactionDetails']>>;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    sendHtml(
      res,
      400,
      errorPage(400, 'Cookie not found. Please make sure cookies are enabled in your browser.'),
    );
    return;
  }
  if (req.method === 'GET' || req.method === 'HEAD') {
    sendHtml(res, 200, loginPage(action));
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }
  const form = await readForm(req);
  if (!form) {
    sendHtml(res, 413, errorPage(413, 'The request was too large.'));
    return;
  }
  const username = form.get('username') ?? '';
  const user = SIM_DEMO.users.find(
    (u) => (u.username === username || u.email === username) && u.password === form.get('password'),
  );
  if (!user) {
    // Keycloak answers wrong credentials with the form again, 200, and this sentence.
    sendHtml(res, 200, loginPage(action, 'Invalid username or password.', username));
    return;
  }
  if (details.prompt.name !== 'login') {
    sendHtml(res, 400, errorPage(400, 'Unexpected step of the sign-in.'));
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.sub } },
    {
      mergeWithLastSubmission: false,
    },
  );
}
