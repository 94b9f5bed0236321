import { Client } from 'pg';
import pino from 'pino';
import { CHANGES_CHANNEL, type ChangeNotice } from '@thads/kit';
import { createTestDatabase, dropTestDatabase } from '../../../test/support/test-db';
import { PgNotices } from './pg-notices';
import { AnswerCache } from '../cache/answer-cache';
import { CacheInvalidation } from '../cache/cache-invalidation';
import { ChangeLog } from '../cache/change-log';
import { FetchCache } from '../cache/fetch-cache';

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

/**
 * A mutation's answer waits for the notices its subgraphs named, without a barrier when they
 * have been heard: on a real PostgreSQL, a write named `n` commits, and the gateway's wait for
 * `n` (begun as the commit returns, as a subgraph's answer arrives) resolves only once the
 * change is in the change log, as the barrier would have it.
 */
describe('CacheInvalidation.afterWrites', () => {
  let url: string;
  let notices: PgNotices;
  let writer: Client;
  let log: ChangeLog;
  let invalidation: CacheInvalidation;

  beforeAll(async () => {
    url = await createTestDatabase('after_writes');
    writer = new Client({ connectionString: url });
    await writer.connect();
    await writer.query('CREATE SCHEMA org_units');
    await writer.query('CREATE TABLE org_units.rollup_edge (ancestor_id int, descendant_id int, valid_from date, valid_to date)');
    await writer.query(`INSERT INTO org_units.rollup_edge VALUES (1, 7, '2000-01-01', '9999-12-31'), (7, 7, '2000-01-01', '9999-12-31')`);
    notices = new PgNotices(url, pino({ level: 'silent' }), 'test-after-writes');
    await notices.start();
    log = new ChangeLog();
    invalidation = new CacheInvalidation(notices, log, new AnswerCache(1 << 20, log), new FetchCache(1 << 20, log), pino({ level: 'silent' }));
  });

  afterAll(async () => {
    await notices.stop();
    await writer.end();
    await dropTestDatabase(url);
  });

  const commitNamed = (id: number, name: string) => writer.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, `cases:${id}:7:2026-01-01:${name}`]);
  /** The changes to unit 7 (and so to its nation) logged since a generation of the change log. */
  const logged = (since: number) => {
    const changes = log.between(since, log.generation);
    return changes === 'all' ? 'all' : changes.filter((c) => c !== 'all' && c.subgraph === 'cases' && c.units.has(7) && c.units.has(1)).length;
  };

  it('has applied each named change when it resolves, for writes one after another', async () => {
    const unheard = notices.barriersSent;
    for (let i = 1; i <= 200; i++) {
      const since = log.generation;
      await commitNamed(i, `test.${i}`);
      await invalidation.afterWrites([`test.${i}`]);
      expect(logged(since)).toBe(1);
    }
    // Most were heard by then (a notice leaves with the commit): no barrier for them.
    expect(notices.barriersSent - unheard).toBeLessThan(200);
  });

  it('sends no barrier for names already heard, and one for a name never sent, an empty list or none', async () => {
    await commitNamed(1000, 'test.heard');
    for (let i = 0; i < 100 && !notices.hasHeard('test.heard'); i++) await new Promise((r) => setTimeout(r, 20));
    const before = notices.barriersSent;
    await invalidation.afterWrites(['test.heard']);
    expect(notices.barriersSent).toBe(before);
    await invalidation.afterWrites(['test.heard', 'test.never-sent']);
    await invalidation.afterWrites([]);
    await invalidation.afterWrites(undefined);
    expect(notices.barriersSent).toBe(before + 3);
  });
});
