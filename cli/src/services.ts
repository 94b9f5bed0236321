import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { GraphQLSchema } from 'graphql';
import type { RollupSpec } from '@thads/kit';
import * as cases from '@thads/cases';
import * as complaints from '@thads/complaints';
import * as finances from '@thads/finances';
import * as orgUnits from '@thads/org-units';

/** The project's root (cli/dist/services.js is two levels below it). */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

export interface ServiceEntry {
  name: 'org-units' | 'cases' | 'finances' | 'complaints';
  port: number;
  /** Compiled entry point, started as its own process. */
  entry: string;
  dataSource: (url: string) => DataSource;
  schema: () => Promise<GraphQLSchema>;
  /** The month tables it keeps, each with its maintained rollup (kit rollup/). */
  rollups: readonly RollupSpec[];
}

/** The four subgraphs, in the order they are migrated, seeded and started. */
export const SERVICES: ServiceEntry[] = [
  {
    name: 'org-units',
    port: orgUnits.DEFAULT_PORT,
    entry: 'services/org-units/dist/index.js',
    dataSource: (u) => orgUnits.orgUnitsDataSource(u, 4),
    schema: orgUnits.buildOrgUnitsSchema,
    rollups: [],
  },
  {
    name: 'cases',
    port: cases.DEFAULT_PORT,
    entry: 'services/cases/dist/index.js',
    dataSource: (u) => cases.casesDataSource(u, 4),
    schema: cases.buildCasesSchema,
    rollups: cases.CASE_ROLLUPS,
  },
  {
    name: 'finances',
    port: finances.DEFAULT_PORT,
    entry: 'services/finances/dist/index.js',
    dataSource: (u) => finances.financesDataSource(u, 4),
    schema: finances.buildFinancesSchema,
    rollups: [finances.MONEY_ROLLUP],
  },
  {
    name: 'complaints',
    port: complaints.DEFAULT_PORT,
    entry: 'services/complaints/dist/index.js',
    dataSource: (u) => complaints.complaintsDataSource(u, 4),
    schema: complaints.buildComplaintsSchema,
    rollups: [complaints.COMPLAINT_ROLLUP],
  },
];

export const GATEWAY = { name: 'gateway', port: 4000, entry: 'gateway/dist/index.js' } as const;

export function subgraphUrl(port: number, host = '127.0.0.1'): string {
  return `http://${host}:${port}/graphql`;
}
