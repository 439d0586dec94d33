// One in-process DuckDB for the services (capture files, snapshots, SQL). Loaded on first use so
// that hosts which never touch Parquet start without the native module.
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

let instance: Promise<DuckDBInstance> | null = null;

async function getInstance(): Promise<DuckDBInstance> {
  instance ??= import('./duckdb-api').then(({ duckdb }) => duckdb.DuckDBInstance.create(':memory:'));
  return instance;
}

/** A new connection (each has its own transaction state and can be interrupted on its own). */
export async function connect(): Promise<DuckDBConnection> {
  const db = await getInstance();
  const c = await db.connect();
  await c.run(`SET TimeZone = 'UTC'`);
  return c;
}

/** Runs `fn` on a fresh connection and closes it afterwards. */
export async function withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const c = await connect();
  try {
    return await fn(c);
  } finally {
    c.closeSync();
  }
}

/** A string literal for SQL (DuckDB): single quotes doubled. Used for file paths we resolved ourselves. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
