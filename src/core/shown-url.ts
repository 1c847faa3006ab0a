// A URL as it may be shown in a log line, a plan or a run record: its origin only. Chat webhooks
// (Slack, Teams, Mattermost) carry their secret in the path, a Pushgateway URL may carry basic-auth
// credentials (`https://user:token@…`); neither may reach what Cutover writes. URL's origin never holds
// the user info.

export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/…`;
  } catch {
    return '(a URL)';
  }
}
