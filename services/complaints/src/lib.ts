/** What other packages (the CLI, tests) use of this service without starting it. */
export { complaintsDataSource, SCHEMA } from './data-source';
export { insertDemoComplaints, rebuildComplaintAggregates, clearComplaints } from './seed/seed-complaints';
export { petitionFigures, COMPLAINT_ROLLUP } from './stats/complaint-report';
export { buildComplaintsSchema } from './schema';
export { start, DEFAULT_PORT } from './server';
export { applyComplaintCommands } from './petitions/complaint.writer';
export { complaintCommandsOf } from './petitions/complaint-import';
