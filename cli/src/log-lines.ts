const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg']);

/** Turns one pino JSON line into a line a person reads: time, service, level, message, details. */
export function readableLogLine(raw: string, fallbackService: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return `${new Date().toISOString().slice(11, 19)} ${fallbackService.padEnd(10)} ${raw}`;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  const service = String(entry.service ?? fallbackService).padEnd(10);
  const level = LEVELS[Number(entry.level)] ?? 'INFO ';
  const details = Object.entries(entry)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  return `${time} ${service} ${level} ${String(entry.msg ?? '')}${details ? `  ${details}` : ''}`;
}
