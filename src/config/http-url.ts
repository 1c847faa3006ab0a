// An http(s) URL as the config takes one: a service's address or an OIDC issuer. Never with credentials
// in it (`user:password@`): URLs are shown in plans, progress lines and reports, so a password written
// there would be too. Secrets come from environment variables, named by an auth profile.
import { z } from 'zod';

const USERINFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;

export function httpUrl(what = 'URL') {
  return z
    .url({ protocol: /^https?$/, error: `expected an http(s) ${what}` })
    .refine((u) => !USERINFO.test(u), {
      error: `the ${what} must not carry credentials (user:password@): they would reach the reports; integration steps take an auth profile whose secrets come from environment variables`,
    });
}
