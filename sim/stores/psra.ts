// PSRA's assessments, in memory (the simulator without a database) or in PSRA's PostgreSQL database
// (sim/db.ts): rows of the seeded `assessments` table, the id from its sequence, the product as the
// subject and the API's input and result in `findings`. The route table (routes/psra.ts) speaks only to
// this interface; it computes the result, the store keeps it.
import { randomUUID } from 'node:crypto';
import type { SimDb } from '../db.js';

export interface AssessmentInput {
  product: string;
  hsCode: string;
  components: { name: string; originCountry: string; valuePct: number }[];
}

export interface OriginResult {
  originCountry: string;
  preferential: boolean;
  rule: string;
  originatingSharePct: number;
  confidence: number;
}

export interface Assessment extends Partial<AssessmentInput> {
  id: string;
  status: 'pending' | 'completed';
  createdAt?: string;
  completedAt?: string;
  result?: OriginResult;
  /** Assessments migrated from before the API (the seeded rows): their tenant, score and findings. */
  tenant?: string;
  score?: number;
  findings?: unknown;
}

export interface PsraStore {
  create(input: AssessmentInput, createdAt: string): Promise<Assessment>;
  /** The newest first. */
  list(limit: number): Promise<Assessment[]>;
  get(id: string): Promise<Assessment | undefined>;
  /** Records the result of a pending assessment; one completed already keeps its first result. */
  complete(id: string, result: OriginResult, completedAt: string): Promise<Assessment | undefined>;
}

export function memoryPsra(): PsraStore {
  const assessments = new Map<string, Assessment>();
  return {
    async create(input, createdAt) {
      const a: Assessment = { id: randomUUID(), status: 'pending', ...input, createdAt };
      assessments.set(a.id, a);
      return a;
    },
    list: async (limit) => [...assessments.values()].reverse().slice(0, limit),
    get: async (id) => assessments.get(id),
    async complete(id, result, completedAt) {
      const a = assessments.get(id);
      if (a?.status === 'pending') Object.assign(a, { status: 'completed', result, completedAt });
      return a;
    },
  };
}

/** The API's own assessments carry a tenant of their own, apart from the migrated tenants' rows. */
const API_TENANT = 'api';
const COLUMNS = 'id, tenant, subject, score::text, findings, assessed_at';

function toAssessment(r: Record<string, unknown>): Assessment {
  const f = r.findings as Record<string, unknown>;
  const id = String(r.id);
  if (!Array.isArray(f.components))
    return {
      id,
      status: 'completed',
      product: String(r.subject),
      tenant: String(r.tenant),
      score: Number(r.score),
      findings: f,
      completedAt: (r.assessed_at as Date).toISOString(),
    };
  return {
    id,
    status: f.result ? 'completed' : 'pending',
    product: String(r.subject),
    hsCode: String(f.hsCode),
    components: f.components as AssessmentInput['components'],
    createdAt: String(f.createdAt),
    ...(f.result ? { result: f.result as OriginResult, completedAt: String(f.completedAt) } : {}),
  };
}

const isKey = (id: string) => /^\d{1,18}$/.test(id);

export function postgresPsra(db: SimDb): PsraStore {
  const get = async (id: string) => {
    if (!isKey(id)) return undefined;
    const [row] = await db.query(`SELECT ${COLUMNS} FROM assessments WHERE id = $1`, [id]);
    return row ? toAssessment(row) : undefined;
  };
  return {
    async create(input, createdAt) {
      const findings = { hsCode: input.hsCode, components: input.components, createdAt };
      const [row] = await db.query(
        `INSERT INTO assessments (tenant, subject, score, findings, assessed_at) VALUES ($1, $2, 0, $3, $4)
         RETURNING ${COLUMNS}`,
        [API_TENANT, input.product, JSON.stringify(findings), createdAt],
      );
      return toAssessment(row!);
    },
    list: async (limit) =>
      (await db.query(`SELECT ${COLUMNS} FROM assessments ORDER BY id DESC LIMIT $1`, [limit])).map(
        toAssessment,
      ),
    get,
    async complete(id, result, completedAt) {
      if (!isKey(id)) return undefined;
      // Only a pending row is completed: two first reads at once record one result.
      await db.query(
        `UPDATE assessments SET findings = findings || $2::jsonb, score = $3, assessed_at = $4
         WHERE id = $1 AND NOT findings ? 'result'`,
        [id, JSON.stringify({ result, completedAt }), result.originatingSharePct, completedAt],
      );
      return get(id);
    },
  };
}
