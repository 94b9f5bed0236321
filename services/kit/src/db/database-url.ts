/**
 * A database URL fit to print or log: its password replaced by ***. Logs and terminals are
 * read by more people than the database's owner, and a superuser password in them is the
 * database. Key-value connection strings (`host=… password=…`) are masked too.
 */
export function maskDatabaseUrl(url: string): string {
  const masked = url.replace(/(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/gi, '$1***');
  try {
    const parsed = new URL(masked);
    if (!parsed.password) return masked;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return masked.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@]*@/i, '$1:***@');
  }
}
