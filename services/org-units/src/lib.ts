/** What other packages (the CLI, tests) use of this service without starting it. */
export { orgUnitsDataSource, SCHEMA } from './data-source';
export { seedUnits, loadProvinceData } from './seed/seed-units';
export { generateUnits, leafUnits, MINISTRY_ID, type ProvinceData, type UnitRow } from './seed/generate-units';
export { computeRollupEdges } from './hierarchy/rollup-edges';
export { rebuildRollupEdges } from './hierarchy/rollup-edges.repository';
export { buildOrgUnitsSchema } from './schema';
export { start, DEFAULT_PORT } from './server';
export { OrgUnitType } from './units/org-unit-type';
