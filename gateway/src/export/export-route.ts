import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@thads/kit';
import type { Logger } from 'pino';
import { formTable, rankingTable, type Execute } from './export-queries';
import type { ExportTable } from './export-table';
import { renderCsv } from './render-csv';
import { renderXlsx } from './render-xlsx';

/** Runs a GraphQL operation as the caller of an HTTP request: its token, rights and limits. */
export type ExecuteAs = (
  req: IncomingMessage,
  query: string,
  variables: Record<string, unknown>,
) => Promise<{ data?: unknown; errors?: readonly GraphQLError[] }>;

const TABLES: Record<string, (params: URLSearchParams, execute: Execute, english: boolean) => Promise<ExportTable>> = {
  '/export/form': formTable,
  '/export/ranking': rankingTable,
};

const FORMATS = {
  csv: { type: 'text/csv; charset=utf-8', render: (t: ExportTable) => Promise.resolve(renderCsv(t)) },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', render: renderXlsx },
} as const;

/** An error of the export, answered as the API answers it: a GraphQL error with its code, and its HTTP status. */
class Refused extends Error {
  constructor(readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[]) {
    super(errors[0]?.message ?? 'refused');
  }
}

function statusOf(errors: Refused['errors']): number {
  const first = errors[0]?.extensions ?? {};
  const http = first.http as { status?: number } | undefined;
  if (http?.status) return http.status;
  const code = first.code;
  return code === ErrorCode.UNAUTHENTICATED ? 401 : code === ErrorCode.FORBIDDEN ? 403 : code === ErrorCode.RATE_LIMITED ? 429 : 400;
}

/**
 * `/export/form` and `/export/ranking`: the forms and the dashboard's tables as CSV or XLSX
 * (`format=csv|xlsx`, Vietnamese headers unless `lang=en`), for GET with the same token or API
 * key as /graphql. Each runs the matching GraphQL query as its caller, so a file holds exactly
 * what the API answers that caller, and a refusal is the API's (code, message, status).
 */
export function exportRoute(executeAs: ExecuteAs, logger: Logger): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const table = TABLES[url.pathname];
    if (!table) return false;
    void (async () => {
      try {
        if (req.method !== 'GET')
          throw new Refused([{ message: 'Exports are downloaded with GET.', extensions: { code: 'BAD_REQUEST', http: { status: 405 } } }]);
        const format = FORMATS[(url.searchParams.get('format') ?? 'csv') as keyof typeof FORMATS];
        if (!format) throw new Refused([{ message: '"format" must be csv or xlsx.', extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'format' } }]);
        const execute: Execute = async (query, variables) => {
          const result = await executeAs(req, query, variables);
          if (result.errors?.length) throw new Refused(result.errors.map((e) => ({ message: e.message, extensions: e.extensions })));
          return result.data as Record<string, unknown>;
        };
        const built = await table(url.searchParams, execute, url.searchParams.get('lang') === 'en');
        const body = await format.render(built);
        const extension = format === FORMATS.csv ? 'csv' : 'xlsx';
        res.writeHead(200, {
          'content-type': format.type,
          'content-disposition': `attachment; filename="${built.fileName}.${extension}"`,
          'content-length': body.length,
          'cache-control': 'no-store',
        });
        res.end(body);
      } catch (err) {
        const refused =
          err instanceof Refused
            ? err
            : err instanceof GraphQLError
              ? new Refused([{ message: err.message, extensions: err.extensions }])
              : (logger.error({ err }, 'export failed'),
                new Refused([
                  { message: 'The export failed; the gateway log says why.', extensions: { code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } } },
                ]));
        const errors = refused.errors.map(({ message, extensions }) => {
          const { http: _http, ...rest } = extensions ?? {};
          return { message, extensions: rest };
        });
        res.writeHead(statusOf(refused.errors), { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors }));
      }
    })();
    return true;
  };
}
