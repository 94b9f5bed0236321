import type { DataSource } from 'typeorm';
import { Progress, rebuildFromFacts, rollupTable, verifyRollup, type RollupSpec, type VerifyReport } from '@thads/kit';
import { orgUnitsDataSource, rebuildRollupEdges } from '@thads/org-units';
import { UsageError } from '../cli-args';
import { SERVICES, type ServiceEntry } from '../services';

/** Each service that keeps rollups, with a connection of its own (closed by `run`'s end). */
async function withServices<T>(url: string, only: readonly string[] | undefined, run: (service: ServiceEntry, db: DataSource) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (const service of SERVICES.filter((s) => s.rollups.length && (!only || only.includes(s.name)))) {
    const db = service.dataSource(url);
    await db.initialize();
    try {
      out.push(await run(service, db));
    } finally {
      await db.destroy();
    }
  }
  return out;
}

/** `--only cases,finances` as a list of known service names. */
export function serviceList(value: string | boolean | undefined): string[] | undefined {
  if (value === undefined || value === false) return undefined;
  const names = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = SERVICES.filter((s) => s.rollups.length).map((s) => s.name as string);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new UsageError(`--only: unknown service ${unknown.join(', ')}; choose from ${known.join(', ')}.`);
  return names;
}

/**
 * Rebuilds everything maintained from what was recorded: the rollup edges and epochs from the
 * units and lineage, then each service's month rows from its raw facts, the rollups above them
 * and their openings. Gateways hear of each table's rewrite at its commit and refresh what they hold.
 */
export async function rebuildAll(url: string, only: readonly string[] | undefined, log: (line: string) => void): Promise<{ tables: number; seconds: number }> {
  const started = Date.now();
  if (!only) {
    const units = orgUnitsDataSource(url, 1);
    await units.initialize();
    try {
      const edges = await units.transaction((tx) => rebuildRollupEdges(tx));
      log(`org-units: ${edges.toLocaleString('en')} rollup edges and their epochs rebuilt from the units and lineage`);
    } finally {
      await units.destroy();
    }
  }
  const specs = (await withServices(url, only, async (service) => service.rollups.map((spec) => ({ service, spec })))).flat();
  const progress = new Progress('rebuild', specs.length, 'tables');
  await withServices(url, only, async (service, db) => {
    for (const spec of service.rollups) {
      const t = Date.now();
      await rebuildFromFacts(db, spec);
      log(`${service.name}: ${spec.table} and ${rollupTable(spec)} rebuilt from the facts in ${((Date.now() - t) / 1000).toFixed(1)}s`);
      progress.tick();
    }
  });
  progress.finish();
  return { tables: specs.length, seconds: (Date.now() - started) / 1000 };
}

/** Compares everything maintained with a recomputation from the raw facts; returns the reports. */
export async function verifyAll(
  url: string,
  only: readonly string[] | undefined,
  limit: number,
): Promise<{ service: string; spec: RollupSpec; reports: VerifyReport[] }[]> {
  const out: { service: string; spec: RollupSpec; reports: VerifyReport[] }[] = [];
  await withServices(url, only, async (service, db) => {
    for (const spec of service.rollups) out.push({ service: service.name, spec, reports: await verifyRollup(db, spec, limit) });
  });
  return out;
}

/** The verify reports as a person reads them: one line a table, then every difference listed. */
export function formatVerify(results: Awaited<ReturnType<typeof verifyAll>>): { text: string; differing: number } {
  const lines: string[] = [];
  let differing = 0;
  for (const { service, reports } of results) {
    for (const r of reports) {
      differing += r.differing;
      lines.push(
        `${r.differing ? '✗' : '✓'} ${service.padEnd(10)} ${r.table.padEnd(40)} ${r.compared.toLocaleString('en').padStart(12)} rows compared, ${r.differing.toLocaleString('en')} differ`,
      );
      for (const d of r.differences) {
        const key = Object.entries(d.key)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        lines.push(`    ${key || '(table)'}: ${d.column} stored ${d.stored}, recomputed ${d.expected}`);
      }
      if (r.differing > r.differences.length) lines.push(`    … and more (rows differing: ${r.differing.toLocaleString('en')}; --limit shows more)`);
    }
  }
  return { text: `${lines.join('\n')}\n`, differing };
}
