import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';

@Directive('@shareable')
@ObjectType({ description: 'A rate compared with the unit’s own target and the national target for the statistical year.' })
export class TargetAchievement {
  @Field(() => Float, { nullable: true, description: 'The rate reached, percent (2 decimals).' })
  rate!: number | null;

  @Field(() => Float, { nullable: true, description: 'The unit’s own target, percent; null when none is set.' })
  unitTarget!: number | null;

  @Field(() => Float, { nullable: true, description: 'The national target set by the National Assembly, percent.' })
  nationalTarget!: number | null;

  @Field(() => Float, { nullable: true, description: 'rate ÷ unit target, percent, 2 decimals (100 means the target is met exactly).' })
  achievementOfUnitTarget!: number | null;

  @Field(() => Float, { nullable: true, description: 'rate ÷ national target, percent, 2 decimals.' })
  achievementOfNationalTarget!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the rate reaches the unit’s target.' })
  meetsUnitTarget!: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the rate reaches the national target.' })
  meetsNationalTarget!: boolean | null;
}

@Directive('@shareable')
@ObjectType({ description: 'A unit’s position among the units of its level.' })
export class RankPosition {
  @Field(() => Int, { description: 'Position, 1 for the best.' })
  rank!: number;

  @Field(() => Int, { description: 'Number of units ranked.' })
  of!: number;

  @Field(() => String, { nullable: true, description: 'The unit’s value of the metric.' })
  value!: string | null;
}
