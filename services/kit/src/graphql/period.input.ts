import { Field, InputType, Int } from 'type-graphql';
import type { PeriodSpec } from '../time/period';

@InputType({
  description:
    'A reporting period of whole months. Either a statistical year (1 October of the previous year to 30 September), optionally narrowed to its first `months` months or one `quarter`, or a range `fromMonth`–`toMonth`.',
})
export class PeriodInput implements PeriodSpec {
  @Field(() => Int, { nullable: true, description: 'Statistical year: 2025 is 1 Oct 2024 – 30 Sep 2025.' })
  year?: number;

  @Field(() => Int, { nullable: true, description: 'With `year`: the first N months (1–12), cumulative from 1 October. 6 is 1 Oct – 31 Mar.' })
  months?: number;

  @Field(() => Int, { nullable: true, description: 'With `year`: quarter 1–4 of the statistical year (quarter 1 is October–December).' })
  quarter?: number;

  @Field({ nullable: true, description: 'First month of a month range, YYYY-MM. Use with `toMonth` instead of `year`.' })
  fromMonth?: string;

  @Field({ nullable: true, description: 'Last month of a month range, YYYY-MM, included.' })
  toMonth?: string;
}
