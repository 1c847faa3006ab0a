// Which keeping a route table's state lives in: its database when the simulator was given one (and it
// answered), else memory. Decided once, on the first request, since the database may still be starting
// when the route table is built.
import type { SimDb } from '../db.js';
import type { ServiceEnv } from '../route.js';

export function storeOf<S>(
  database: ServiceEnv['database'],
  memory: () => S,
  postgres: (db: SimDb) => S,
): () => Promise<S> {
  if (!database) {
    const kept = memory();
    return async () => kept;
  }
  let chosen: Promise<S> | undefined;
  return () => {
    chosen ??= database().then((db) => (db ? postgres(db) : memory()));
    return chosen;
  };
}
