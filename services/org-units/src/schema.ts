import { buildFederatedSchema } from '@thads/kit';
import { CalendarResolver } from './calendar/calendar.resolver';
import { CallerQueries } from './caller/caller.resolver';
import { LineageFields } from './lineage/lineage.fields';
import { OrgUnitFields } from './units/org-unit.fields';
import { orgUnitReference } from './units/org-unit.reference';
import { OrgUnitQueries } from './units/org-unit.resolver';
import { UnitConnections } from './units/paging/unit-connection.resolver';

export function buildOrgUnitsSchema() {
  return buildFederatedSchema(
    { resolvers: [OrgUnitQueries, OrgUnitFields, LineageFields, CalendarResolver, UnitConnections, CallerQueries] },
    orgUnitReference,
  );
}
