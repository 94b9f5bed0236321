import { Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase } from '../../../../test/support/test-db';
import { forgetPreparedIfUnsure, isPipeline, runPipeline } from './pipeline';
import { deferred, prepared, setWritePipelining, writeTransaction } from './prepared';
import { closeReadPool, readQuery } from './read-pool';

describe('runPipeline (real PostgreSQL)', () => {
  let url: string;
  let pool: Pool;
  let client: PoolClient;

  beforeAll(async () => {
    url = await createTestDatabase('pipeline');
    pool = new Pool({ connectionString: url, max: 2 });
    await pool.query('CREATE TABLE t (id int PRIMARY KEY, label text NOT NULL)');
  });
  beforeEach(async () => {
    client = await pool.connect();
    await client.query('TRUNCATE t');
  });
  afterEach(() => client.release());
  afterAll(async () => {
    await pool.end();
    await dropTestDatabase(url);
  });

  it('runs several statements in one round trip and returns one result a statement, in order', async () => {
    const results = await runPipeline(client, [
      { text: 'BEGIN' },
      {
        name: 'pl_ins',
        text: 'INSERT INTO t (id, label) SELECT * FROM unnest($1::int[], $2::text[])',
        values: [
          [1, 2],
          ['một', 'hai'],
        ],
      },
      { name: 'pl_sel', text: 'SELECT id, label FROM t WHERE id = ANY($1::int[]) ORDER BY id', values: [[1, 2]] },
      { text: 'UPDATE t SET label = $1 WHERE id = $2', values: ['ba', 2] },
      { text: 'COMMIT' },
    ]);
    expect(results.map((r) => r.command)).toEqual(['BEGIN', 'INSERT', 'SELECT', 'UPDATE', 'COMMIT']);
    expect(results[1]!.rowCount).toBe(2);
    expect(results[2]!.rows).toEqual([
      { id: 1, label: 'một' },
      { id: 2, label: 'hai' },
    ]);
    expect((await client.query('SELECT label FROM t WHERE id = 2')).rows).toEqual([{ label: 'ba' }]);
    // The named statements were parsed once: pg's own prepared queries reuse them.
    expect((await client.query({ name: 'pl_sel', text: 'SELECT id, label FROM t WHERE id = ANY($1::int[]) ORDER BY id', values: [[1]] })).rows).toEqual([
      { id: 1, label: 'một' },
    ]);
  });

  it('fails as a whole inside a transaction: nothing after the error runs, the rollback leaves nothing written, the connection serves on', async () => {
    await expect(
      runPipeline(client, [
        { text: 'BEGIN' },
        { name: 'pl_ins2', text: 'INSERT INTO t (id, label) VALUES ($1, $2)', values: [1, 'a'] },
        { name: 'pl_ins3', text: 'INSERT INTO t (id, label) VALUES ($1, $2)', values: [1, 'duplicate'] },
        { name: 'pl_never', text: 'INSERT INTO t (id, label) VALUES ($1, $2)', values: [3, 'c'] },
      ]),
    ).rejects.toThrow(/duplicate key/);
    await client.query('ROLLBACK');
    await forgetPreparedIfUnsure(client);
    expect((await client.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 0 }]);
    // A statement that never reached the server's parser is parsed again, not assumed.
    const [again] = await runPipeline(client, [{ name: 'pl_never', text: 'INSERT INTO t (id, label) VALUES ($1, $2)', values: [3, 'c'] }]);
    expect(again!.rowCount).toBe(1);
  });

  it('refuses a value pg cannot send before writing anything', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(runPipeline(client, [{ text: 'SELECT $1::jsonb', values: [circular] }])).rejects.toThrow();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});

describe('writeTransaction (real PostgreSQL)', () => {
  let url: string;
  let db: DataSource;
  const count = async () => ((await db.query('SELECT count(*)::int AS n FROM w')) as { n: number }[])[0]!.n;

  beforeAll(async () => {
    url = await createTestDatabase('write_tx');
    db = new DataSource({ type: 'postgres', url, poolSize: 2 });
    await db.initialize();
    await db.query('CREATE TABLE w (id int PRIMARY KEY, label text NOT NULL)');
  });
  beforeEach(() => db.query('TRUNCATE w'));
  afterAll(async () => {
    await db.destroy();
    await dropTestDatabase(url);
  });

  it('sends the deferred writes with the next read and with the COMMIT, in the order of the calls', async () => {
    const seen = await writeTransaction(db, async (tx) => {
      await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [1, 'một']);
      const [row] = await prepared<{ n: number }>(tx, 'SELECT count(*)::int AS n FROM w', []);
      await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [2, 'hai']);
      // A TypeORM query in between still sees what was deferred before it.
      const viaTypeorm = (await tx.query('SELECT count(*)::int AS n FROM w')) as { n: number }[];
      await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [3, 'ba']);
      return [row!.n, viaTypeorm[0]!.n];
    });
    expect(seen).toEqual([1, 2]);
    expect(await count()).toBe(3);
  });

  it('sends reads started together, and the writes deferred before them, in one round trip', async () => {
    const rounds = await writeTransaction(db, async (tx) => {
      const client = (await tx.queryRunner!.connect()) as PoolClient;
      let pipelines = 0;
      const query = client.query;
      client.query = function (this: PoolClient, ...args: unknown[]) {
        if (isPipeline(args[0])) pipelines++;
        return (query as (...a: unknown[]) => unknown).apply(this, args);
      } as PoolClient['query'];
      try {
        await prepared(tx, 'SELECT 1', []); // BEGIN goes with it
        await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [1, 'một']);
        const [a, b, c] = await Promise.all([
          prepared<{ n: number }>(tx, 'SELECT count(*)::int AS n FROM w', []),
          prepared<{ label: string }>(tx, 'SELECT label FROM w WHERE id = $1', [1]),
          prepared<{ v: number }>(tx, 'SELECT $1::int + 1 AS v', [41]),
        ]);
        expect([a[0]!.n, b[0]!.label, c[0]!.v]).toEqual([1, 'một', 42]);
        return pipelines;
      } finally {
        client.query = query;
      }
    });
    expect(rounds).toBe(2);
    expect(await count()).toBe(1);
  });

  it('rolls everything back when a deferred write fails at COMMIT, and the pool serves on', async () => {
    await expect(
      writeTransaction(db, async (tx) => {
        await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [1, 'a']);
        await prepared(tx, 'SELECT 1', []);
        await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [2, 'b']);
        await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [2, 'duplicate']);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await count()).toBe(0);
    // Both connections of the pool write again (prepared statements forgotten where unsure).
    await Promise.all([1, 2].map((i) => writeTransaction(db, (tx) => deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [10 + i, 'x']))));
    expect(await count()).toBe(2);
  });

  it('with WRITE_PIPELINE=off runs the same work one statement a round trip, with the same outcome', async () => {
    setWritePipelining(false);
    try {
      const n = await writeTransaction(db, async (tx) => {
        await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [1, 'một']);
        return (await prepared<{ n: number }>(tx, 'SELECT count(*)::int AS n FROM w', []))[0]!.n;
      });
      expect(n).toBe(1);
      await expect(writeTransaction(db, (tx) => deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [1, 'again']))).rejects.toThrow(/duplicate key/);
    } finally {
      setWritePipelining(true);
    }
    expect(await count()).toBe(1);
  });

  it("plans each statement once a connection, even one with arrays, and leaves the connection's planning as it was", async () => {
    const unnest = 'INSERT INTO w SELECT * FROM unnest($1::int[], $2::text[])';
    const plans = await writeTransaction(db, async (tx) => {
      for (let i = 1; i <= 3; i++) await prepared(tx, unnest, [[i], [`hàng ${i}`]]);
      return prepared<{ generic: number; custom: number; mode: string }>(
        tx,
        `SELECT generic_plans::int AS generic, custom_plans::int AS custom, current_setting('plan_cache_mode') AS mode
         FROM pg_prepared_statements WHERE statement = $1`,
        [unnest],
      );
    });
    // PostgreSQL's default would plan the first five executions anew, and every later one too,
    // since a generic plan of an unnest looks dearer than a one-element custom plan.
    expect(plans).toEqual([{ generic: 3, custom: 0, mode: 'force_generic_plan' }]);
    expect(await count()).toBe(3);
    const after = (await db.query(`SELECT current_setting('plan_cache_mode') AS mode`)) as { mode: string }[];
    expect(after).toEqual([{ mode: 'auto' }]);
  });

  it('rolls back when the work throws, with nothing of its deferred writes kept', async () => {
    await expect(
      writeTransaction(db, async (tx) => {
        await prepared(tx, 'SELECT 1', []);
        await deferred(tx, 'INSERT INTO w VALUES ($1, $2)', [1, 'a']);
        throw new Error('refused by a check');
      }),
    ).rejects.toThrow('refused by a check');
    expect(await count()).toBe(0);
  });
});

describe('readQuery (real PostgreSQL)', () => {
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    url = await createTestDatabase('read_pool');
    db = new DataSource({ type: 'postgres', url, poolSize: 1 });
    await db.initialize();
    await db.query(`CREATE TABLE r (id int PRIMARY KEY, label text NOT NULL)`);
    await db.query(`INSERT INTO r VALUES (1, 'một'), (2, 'hai'), (3, 'ba')`);
  });
  afterAll(async () => {
    await closeReadPool(db);
    await db.destroy();
    await dropTestDatabase(url);
  });

  it('parses a report read once a connection: the same text is one prepared statement, executed again with new values', async () => {
    const read = 'SELECT id, label FROM r WHERE id = ANY($1::int[]) ORDER BY id';
    expect(await readQuery(db, read, [[1, 3]])).toEqual([
      { id: 1, label: 'một' },
      { id: 3, label: 'ba' },
    ]);
    // One at a time, the reads take the connection the last one released.
    for (let i = 0; i < 5; i++) expect(await readQuery(db, read, [[2]])).toEqual([{ id: 2, label: 'hai' }]);
    const statements = await readQuery<{ runs: number }>(
      db,
      'SELECT (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements WHERE statement = $1',
      [read],
    );
    expect(statements).toEqual([{ runs: 6 }]);
  });

  it('fails a read with bad values alone: the next read on the same statement answers', async () => {
    const read = 'SELECT label FROM r WHERE id = $1::int';
    await expect(readQuery(db, read, ['not a number'])).rejects.toThrow(/invalid input syntax/);
    expect(await readQuery(db, read, [2])).toEqual([{ label: 'hai' }]);
  });
});
