import { Client } from 'pg';
import pino from 'pino';
import { CHANGES_CHANNEL, type ChangeNotice } from '@thads/kit';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/test-db';
import { PgNotices } from './pg-notices';

/**
 * The barrier's promise, on a real PostgreSQL: once a commit has returned to its writer, a
 * barrier asked for afterwards resolves only after that commit's notice has been handed on,
 * though the barrier sends no notification of its own. Writers on other connections commit
 * while barriers are in flight, as mutations do.
 */
describe('PgNotices.barrier', () => {
  let url: string;
  let notices: PgNotices;
  const writers: Client[] = [];

  beforeAll(async () => {
    url = await createTestDatabase('pg_notices');
    notices = new PgNotices(url, pino({ level: 'silent' }), 'test-notices');
    await notices.start();
    for (let i = 0; i < 4; i++) {
      const writer = new Client({ connectionString: url });
      await writer.connect();
      writers.push(writer);
    }
  });

  afterAll(async () => {
    await notices.stop();
    await Promise.all(writers.map((w) => w.end()));
    await dropTestDatabase(url);
  });

  it('resolves after the notices of every commit made before it, for concurrent writers', async () => {
    const heard = new Set<number>();
    notices.on('notice', (n: ChangeNotice) => heard.add(n.outboxId));
    let next = 0;
    const missed: number[] = [];
    await Promise.all(
      writers.map(async (writer) => {
        for (let i = 0; i < 150; i++) {
          const id = ++next;
          await writer.query('BEGIN');
          await writer.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, `cases:${id}:7:2026-01-01`]);
          await writer.query('COMMIT');
          expect(await notices.barrier()).toBe(true);
          if (!heard.has(id)) missed.push(id);
        }
      }),
    );
    expect(missed).toEqual([]);
    expect(heard.size).toBe(600);
  });

  it('lets the callers that come while one waits share it', async () => {
    const query = jest.spyOn(Client.prototype, 'query');
    try {
      const all = await Promise.all(Array.from({ length: 20 }, () => notices.barrier()));
      expect(all.every(Boolean)).toBe(true);
      const barriers = query.mock.calls.filter(([text]) => text === 'SELECT 1').length;
      expect(barriers).toBe(1);
    } finally {
      query.mockRestore();
    }
  });

  it('says false when the connection is down', async () => {
    const down = new PgNotices(url, pino({ level: 'silent' }), 'test-notices-down');
    expect(await down.barrier()).toBe(false);
  });
});
