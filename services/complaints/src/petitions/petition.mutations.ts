import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { DateScalar, IMPORT_KEY_DESCRIPTION, ImportResult, importEventFile, parseUnitId, type ImportSpec } from '@thads/kit';
import type { Context } from '../context';
import { complaintCommandsOf } from './complaint-import';
import { applyComplaintCommands, applyComplaintOnce, type ComplaintCommand } from './complaint.writer';
import { Petition, PetitionKind } from './petition.entity';

const KEY = 'A key the client makes once per intended change (a UUID): a retry with the same key and input changes nothing.';

/** The service's import mutation: lines become commands, written all or nothing, once a key. */
const COMPLAINT_IMPORT: ImportSpec<ComplaintCommand> = {
  schema: 'complaints',
  operation: 'importComplaintEvents',
  commandsOf: complaintCommandsOf,
  apply: applyComplaintCommands,
};

@Resolver(() => Petition)
export class PetitionMutations {
  private async saved(ctx: Context, id: string): Promise<Petition> {
    ctx.loaders.petitionById.clear(id);
    return (await ctx.loaders.petitionById.load(id))!;
  }

  @Mutation(() => Petition, { description: 'Records a petition (complaint, denunciation, request or recommendation) received by a unit.' })
  async receivePetition(
    @Arg('unitId', () => ID, { description: 'The receiving unit, valid on `receivedOn`.' }) unitId: string,
    @Arg('kind', () => PetitionKind, { description: 'Kind of petition.' }) kind: PetitionKind,
    @Arg('receivedOn', () => DateScalar, { description: 'Date received.' }) receivedOn: string,
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<Petition> {
    const [id] = await applyComplaintOnce(
      ctx.db,
      ctx.access.identity,
      idempotencyKey,
      { type: 'RECEIVE', unitId: parseUnitId(unitId), kind, date: receivedOn },
      ctx.access,
    );
    return this.saved(ctx, id!);
  }

  @Mutation(() => Petition, { description: 'Records that a petition was resolved. A petition not received, or resolved already, is refused.' })
  async resolvePetition(
    @Arg('petitionId', () => ID, { description: 'The petition.' }) petitionId: string,
    @Arg('resolvedOn', () => DateScalar, { description: 'Date resolved.' }) resolvedOn: string,
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<Petition> {
    await applyComplaintOnce(ctx.db, ctx.access.identity, idempotencyKey, { type: 'RESOLVE', petitionId, date: resolvedOn }, ctx.access);
    return this.saved(ctx, petitionId);
  }

  @Mutation(() => Int, { description: 'Records a citizen reception session (tiếp công dân) and the number of citizens received; returns that number.' })
  async recordCitizenReception(
    @Arg('unitId', () => ID, { description: 'The receiving unit.' }) unitId: string,
    @Arg('receivedOn', () => DateScalar, { description: 'Date of the session.' }) receivedOn: string,
    @Arg('citizens', () => Int, { description: 'Citizens received, 1–10000.' }) citizens: number,
    @Arg('idempotencyKey', { description: KEY }) idempotencyKey: string,
    @Ctx() ctx: Context,
  ): Promise<number> {
    await applyComplaintOnce(
      ctx.db,
      ctx.access.identity,
      idempotencyKey,
      { type: 'RECEPTION', unitId: parseUnitId(unitId), date: receivedOn, citizens },
      ctx.access,
    );
    return citizens;
  }

  @Mutation(() => ImportResult, {
    description:
      'Imports the complaints lines (PETITION_RECEIVED, PETITION_RESOLVED, CITIZENS_RECEIVED) of an NDJSON or CSV file in the server’s import folder, all or nothing.',
  })
  async importComplaintEvents(
    @Arg('path', { description: 'File name inside the import folder (IMPORT_DIR).' }) path: string,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IMPORT_KEY_DESCRIPTION }) idempotencyKey: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<ImportResult> {
    return importEventFile(COMPLAINT_IMPORT, ctx, path, idempotencyKey);
  }
}
