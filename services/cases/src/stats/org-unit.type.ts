import { orgUnitStub } from '@thads/kit';

/** The org-units entity, extended here with case figures. */
export const { OrgUnit, reference: orgUnitReference } = orgUnitStub();
export type OrgUnit = InstanceType<typeof OrgUnit>;
