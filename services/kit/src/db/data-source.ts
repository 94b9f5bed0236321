import { types } from 'pg';
import { DataSource, type DataSourceOptions as TypeOrmOptions } from 'typeorm';

// A DATE is a calendar date, not an instant: keep it as the 'YYYY-MM-DD' text PostgreSQL sends.
types.setTypeParser(types.builtins.DATE, (value: string) => value);

export interface DataSourceOptions {
  url: string;
  /** The service's own PostgreSQL schema; its tables and migrations table live there. */
  schema: string;
  entities: NonNullable<TypeOrmOptions['entities']>;
  migrations: NonNullable<TypeOrmOptions['migrations']>;
  poolSize?: number;
  applicationName?: string;
}

/** Connection options of every service connection. */
export const NO_JIT = '-c jit=off';

/** A TypeORM data source for one service: its own schema, migrations committed, never synchronize. */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? options.schema,
    // Dates stay 'YYYY-MM-DD' strings; bigint sums arrive as strings and become BigInt in code.
    // No JIT: the services' statements are short, and PostgreSQL compiled the plans of large
    // writes and rebuilds (estimated costly) for longer than they took to run.
    extra: { max: options.poolSize ?? 10, options: NO_JIT },
  });
}

/** Creates the schema when missing and applies pending migrations; returns the names applied. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (schema) await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
