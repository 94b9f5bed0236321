import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '@thads/kit';
import { PetitionKind } from '../petitions/petition.entity';

@ObjectType({ description: 'Petition indicators of one unit (its whole subtree) for one period, as in the THADS report on complaints and denunciations.' })
export class PetitionFigures {
  @Field(() => Int, { description: 'Pending when the period starts.' })
  carriedOver!: number;

  @Field(() => Int, { description: 'Received in the period.' })
  newlyReceived!: number;

  @Field(() => Int, { description: 'To resolve = carried over + newly received.' })
  toResolve!: number;

  @Field(() => Int, { description: 'Resolved in the period.' })
  resolved!: number;

  @Field(() => Int, { description: 'Still pending at the end = to resolve − resolved.' })
  pending!: number;

  @Field(() => Float, { nullable: true, description: 'Resolution rate = resolved ÷ to resolve, percent, rounded half-up to 2 decimals; null when there is nothing to resolve.' })
  resolutionRate!: number | null;
}

@ObjectType({ description: 'Petition indicators of one kind.' })
export class KindPetitionFigures extends PetitionFigures {
  @Field(() => PetitionKind, { description: 'The kind.' })
  kind!: PetitionKind;
}

@ObjectType({ description: 'Citizen reception and petition indicators of a unit for a period.' })
export class ComplaintStats extends PetitionFigures {
  @Field(() => DateScalar, { description: 'First day of the period (YYYY-MM-DD).' })
  periodStart!: string;

  @Field(() => DateScalar, { description: 'Last day of the period (YYYY-MM-DD).' })
  periodEnd!: string;

  @Field(() => DateScalar, { description: 'Date whose hierarchy the figures were rolled up on.' })
  asOf!: string;

  @Field(() => Int, { description: 'Citizen reception sessions (tiếp công dân) in the period.' })
  receptions!: number;

  @Field(() => Int, { description: 'Citizens received in the period.' })
  citizensReceived!: number;

  @Field(() => [KindPetitionFigures], { description: 'The same indicators for each kind of petition.' })
  byKind!: KindPetitionFigures[];

  @Field(() => PetitionFigures, { description: 'The same period of the previous year, on the same hierarchy (`asOf`).' })
  previousYear!: PetitionFigures;

  @Field(() => PetitionFigures, { description: 'This period minus the same period of the previous year; the rate in percentage points.' })
  change!: PetitionFigures;
}
