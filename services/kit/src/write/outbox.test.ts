import { parseChangeNotice } from './outbox';

describe('parseChangeNotice', () => {
  it('reads the schema, the outbox id, the units a notification names and the earliest date it touches', () => {
    expect(parseChangeNotice('cases:42:1017,2233:2026-11-20')).toEqual({ schema: 'cases', outboxId: 42, unitIds: [1017, 2233], from: '2026-11-20' });
    expect(parseChangeNotice('cases:42:1017,2233')).toEqual({ schema: 'cases', outboxId: 42, unitIds: [1017, 2233], from: undefined });
  });

  it('leaves the units unknown when the notification carries the outbox id alone (a large import)', () => {
    expect(parseChangeNotice('finances:7::2024-01-05')).toEqual({ schema: 'finances', outboxId: 7, unitIds: undefined, from: '2024-01-05' });
    expect(parseChangeNotice('finances:7')).toEqual({ schema: 'finances', outboxId: 7, unitIds: undefined, from: undefined });
  });

  it('ignores a unit list that is not one, and refuses a payload without an outbox id', () => {
    expect(parseChangeNotice('cases:9:12,x:yesterday')).toEqual({ schema: 'cases', outboxId: 9, unitIds: undefined, from: undefined });
    expect(parseChangeNotice('cases:')).toBeNull();
    expect(parseChangeNotice('cases:abc:12')).toBeNull();
    expect(parseChangeNotice('')).toBeNull();
  });
});
