import { Directive, Field, Int, ObjectType } from 'type-graphql';

@Directive('@shareable')
@ObjectType({
  description:
    'What an import wrote. An import is all or nothing: any bad line refuses the whole file with IMPORT_REJECTED (or the line’s own code) and its line number.',
})
export class ImportResult {
  @Field(() => Int, { description: 'Lines of the file that the service applied.' })
  applied!: number;

  @Field(() => Int, { description: 'Lines left to the other services (events that are not this service’s).' })
  skipped!: number;

  @Field(() => Int, { description: 'Milliseconds the import took.' })
  milliseconds!: number;
}
