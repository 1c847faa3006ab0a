// Times as the Go servers of the Prometheus family write them (RFC 3339, nanoseconds allowed), read into ms.
// Go's zero time, `0001-01-01T00:00:00Z`, stands for "never" in their answers — a target not scraped yet, a
// rule not evaluated yet, a firing alert's endsAt in a webhook — and reads as undefined, not as year 1.
// Pure.
import { z } from 'zod';

/** An RFC 3339 time in ms, or undefined for Go's zero time. */
export const goTime = z.string().transform((text, ctx) => {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text.slice(0, 40))} is not a time` });
    return z.NEVER;
  }
  return ms < 0 ? undefined : ms;
});
