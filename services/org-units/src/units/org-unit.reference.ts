import { parseUnitId } from '@thads/kit';
import type { Context } from '../context';
import type { OrgUnit } from './org-unit.entity';

/** Resolves `OrgUnit` entities for the gateway, batched through the per-request loader. */
export const orgUnitReference = {
  OrgUnit: {
    __resolveReference: async (ref: { id: string }, ctx: Context): Promise<OrgUnit | null> => {
      const unit = await ctx.loaders.unitById.load(parseUnitId(ref.id));
      if (unit) await ctx.access.assertSee(unit);
      return unit;
    },
  },
};
