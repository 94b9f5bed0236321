import { Ctx, Field, ObjectType, Query, registerEnumType, Resolver } from 'type-graphql';
import { ROLES, type Role } from '@thads/kit';
import type { Context } from '../context';
import { OrgUnit } from '../units/org-unit.entity';

/** The hub's roles as the API names them: upper-cased (MINISTRY stands for 'ministry'). */
export const CallerRole = Object.fromEntries(ROLES.map((role) => [role.toUpperCase(), role])) as { [R in Role as Uppercase<R>]: R };

registerEnumType(CallerRole, {
  name: 'CallerRole',
  description: 'What a caller may read and write.',
  valuesConfig: {
    MINISTRY: { description: 'The ministry: reads everything, closes reporting periods.' },
    PROVINCE: { description: 'A province: reads its province and every unit below it, on every date.' },
    INTEGRATOR: { description: 'An outside system: reads the units and field families its key grants.' },
    REPORTER: { description: 'A reporting unit: writes the events of its units and reads them.' },
  },
});

@ObjectType({
  description:
    'Who the hub takes the caller to be: what the gateway verified from its token or API key (or the anonymous role, where the hub allows anonymous reads). Ask it to know what to show before asking for figures.',
})
export class Caller {
  @Field(() => CallerRole, { description: 'The role, which decides what may be read and written.' })
  role!: Role;

  @Field(() => [OrgUnit], {
    description:
      'The units the caller’s access is rooted at: everything below them is in scope (the ministry’s scope is the whole country, whatever is listed here).',
  })
  units!: OrgUnit[];

  @Field(() => [String], {
    description: 'For an integrator, the field families its key grants (units, cases, money, complaints); empty for the other roles, which read every family.',
  })
  families!: string[];
}

@Resolver(() => Caller)
export class CallerQueries {
  @Query(() => Caller, { description: 'The caller itself: its role, the units its access is rooted at and, for an integrator, the families it may read.' })
  async me(@Ctx() ctx: Context): Promise<Caller> {
    // Role, units and families only: the gateway keeps answers per such scope, so nothing here may tell two callers of one scope apart.
    const { role, units, families } = ctx.access.identity;
    const found = await ctx.loaders.unitById.loadMany(units);
    return {
      role,
      units: found.filter((u): u is OrgUnit => u instanceof OrgUnit),
      families: role === 'integrator' ? [...families].sort() : [],
    };
  }
}
