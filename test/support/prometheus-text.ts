/** One sample of a scrape: a metric name, its labels and its value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:[0-9.e+-]+|NaN|\+Inf|-Inf))(?: -?\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/g;
const META = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * Parses Prometheus' text exposition format (0.0.4) strictly: a line that is not a comment,
 * HELP/TYPE line or sample throws, as does a metric typed twice or a sample of a family
 * whose TYPE line has not come first.
 */
export function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const meta = META.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        if (!TYPES.has(meta[3]!)) throw new Error(`unknown type: ${line}`);
        if (types.has(meta[2]!)) throw new Error(`typed twice: ${line}`);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name, rawLabels, rawValue] = match;
    const family = name!.replace(/_(bucket|sum|count|total)$/, '');
    if (!types.has(name!) && !types.has(family)) throw new Error(`sample before its TYPE line: ${line}`);
    const labels: Record<string, string> = {};
    if (rawLabels) {
      let consumed = 0;
      for (const m of rawLabels.matchAll(LABEL)) {
        labels[m[1]!] = m[2]!.replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
        consumed += m[0].length;
      }
      if (consumed !== rawLabels.length) throw new Error(`bad labels: ${line}`);
    }
    const value = rawValue === '+Inf' ? Infinity : rawValue === '-Inf' ? -Infinity : Number(rawValue);
    if (Number.isNaN(value) && rawValue !== 'NaN') throw new Error(`bad value: ${line}`);
    samples.push({ name: name!, labels, value });
  }
  return { samples, types };
}

/** The samples of a metric whose labels include `labels`. */
export function samplesOf(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The sum of the values of those samples. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samplesOf(samples, name, labels).reduce((sum, s) => sum + s.value, 0);
}
