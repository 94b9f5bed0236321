/** Counters of the live layer, served at /metrics in Prometheus' text format. */
export class LiveMetrics {
  executions = 0;
  operations = 0;
  messages = 0;
  skippedUnchanged = 0;
  changeEvents = 0;
  queries = 0;
  subscribers = 0;
  connections = 0;

  render(): string {
    const lines: [string, string, number][] = [
      ['thads_live_executions_total', 'Refreshes executed (one per live query per refresh, whatever its number of subscribers).', this.executions],
      ['thads_live_operations_total', 'Gateway operations run by refreshes: live queries of one document and scope that refresh together are merged into one.', this.operations],
      ['thads_live_messages_total', 'Values handed to subscribers.', this.messages],
      ['thads_live_unchanged_total', 'Refreshes whose value had not changed, so nothing was sent.', this.skippedUnchanged],
      ['thads_live_change_events_total', 'Change events received from the outbox.', this.changeEvents],
      ['thads_live_queries', 'Distinct live queries (document, variables and access scope).', this.queries],
      ['thads_live_subscribers', 'Subscriptions served.', this.subscribers],
      ['thads_live_connections', 'Open graphql-ws connections.', this.connections],
    ];
    return lines.map(([name, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}\n${name} ${value}`).join('\n') + '\n';
  }
}
