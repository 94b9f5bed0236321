import { Histogram, LiveMetrics } from './metrics';

describe('live metrics', () => {
  it('renders a histogram with cumulative buckets, its sum in seconds and its count', () => {
    const h = new Histogram('thads_test_seconds', 'A test.');
    for (const ms of [3, 40, 40, 300, 9000]) h.observeMs(ms);
    const text = h.render();
    expect(text).toContain('# TYPE thads_test_seconds histogram');
    expect(text).toContain('thads_test_seconds_bucket{le="0.005"} 1');
    expect(text).toContain('thads_test_seconds_bucket{le="0.05"} 3');
    expect(text).toContain('thads_test_seconds_bucket{le="0.25"} 3');
    expect(text).toContain('thads_test_seconds_bucket{le="0.5"} 4');
    expect(text).toContain('thads_test_seconds_bucket{le="5"} 4');
    expect(text).toContain('thads_test_seconds_bucket{le="+Inf"} 5');
    expect(text).toContain('thads_test_seconds_sum 9.383000');
    expect(text).toContain('thads_test_seconds_count 5');
  });

  it('serves the counters and the four stage histograms of the live layer', () => {
    const m = new LiveMetrics();
    m.executions = 3;
    m.refresh.observeMs(20);
    const text = m.render();
    expect(text).toMatch(/^thads_live_executions_total 3$/m);
    for (const name of ['feed', 'wait', 'refresh', 'fanout']) expect(text).toContain(`# TYPE thads_live_${name}_seconds histogram`);
    expect(text).toMatch(/^thads_live_refresh_seconds_count 1$/m);
    expect(text).toMatch(/^thads_event_loop_delay_p99_seconds \d/m);
    expect(text).toMatch(/^thads_event_loop_delay_max_seconds \d/m);
  });
});
