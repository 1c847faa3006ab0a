// The `{status, data, errorType, error, warnings, infos}` envelope of Prometheus' HTTP API, which Loki's
// query API shares for its answers (shared/reference/monitoring.md §1.1, §5). Errors come in the same
// envelope with their HTTP status (bad_data 400, execution 422, timeout/canceled 503, internal 500,
// not_found 404) — except while Prometheus starts: every /api/v1 route then answers 503 with the plain
// text "Service Unavailable", which is "not ready", not an API error. Pure.
import { z } from 'zod';
import {
  type ApiFailure,
  excerpt,
  isSuccess,
  malformed,
  parseJson,
  type RawAnswer,
  statusFailure,
} from './api-outcome.js';

const envelopeSchema = z.object({
  status: z.enum(['success', 'error']),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  // null as well as absent: some Prometheus-compatible servers write `"warnings": null`.
  warnings: z.array(z.string()).nullish(),
  infos: z.array(z.string()).nullish(),
});

export type EnvelopeRead =
  | { ok: true; data: unknown; warnings: string[]; infos: string[] }
  | { ok: false; failure: ApiFailure };

/** Why Prometheus answered with this error type, for a person who does not know its vocabulary. */
const ERROR_TYPES: Record<string, string> = {
  bad_data: 'refused the request',
  execution: 'could not evaluate the query',
  timeout: 'ran out of time evaluating the query',
  canceled: 'canceled the query',
  internal: 'failed internally',
  unavailable: 'is unavailable',
  not_found: 'found nothing at that path',
};

/**
 * The envelope of an answer, judged: `what` names the server (`Prometheus at http://…`). A success
 * envelope with a non-2xx status, or an error envelope with a 2xx one, is malformed: the two disagree.
 */
export function readEnvelope(what: string, answer: RawAnswer): EnvelopeRead {
  const json = parseJson(answer.text);
  const envelope = json.ok ? envelopeSchema.safeParse(json.value) : undefined;
  if (!envelope?.success) {
    if (!isSuccess(answer.status)) return { ok: false, failure: statusFailure(what, answer) };
    return {
      ok: false,
      failure: malformed(
        what,
        answer.status,
        json.ok
          ? `JSON that is not the API's envelope: ${excerpt(answer.text, 200)}`
          : `a body that is not JSON${answer.mediaType ? ` (${answer.mediaType})` : ''}: ${excerpt(answer.text, 200) || '(empty)'}`,
      ),
    };
  }
  const body = envelope.data;
  if (body.status === 'error') {
    const errorType = body.errorType ?? 'unknown';
    const detail = body.error ?? '';
    if (isSuccess(answer.status))
      return {
        ok: false,
        failure: malformed(what, answer.status, `an error envelope (${errorType}: ${excerpt(detail, 200)})`),
      };
    return {
      ok: false,
      failure: {
        kind: 'api-error',
        status: answer.status,
        errorType,
        detail,
        message: `${what} ${ERROR_TYPES[errorType] ?? 'answered an error'} (${answer.status} ${errorType}): ${excerpt(detail)}`,
      },
    };
  }
  if (!isSuccess(answer.status))
    return { ok: false, failure: malformed(what, answer.status, 'a success envelope on an error status') };
  return { ok: true, data: body.data, warnings: body.warnings ?? [], infos: body.infos ?? [] };
}
