import { ChangeNames, parseChangeNotice } from './outbox';

describe('parseChangeNotice', () => {
  it('reads the schema, the outbox id, the units a notification names and the earliest date it touches', () => {
    expect(parseChangeNotice('cases:42:1017,2233:2026-11-20')).toEqual({ schema: 'cases', outboxId: 42, unitIds: [1017, 2233], from: '2026-11-20' });
    expect(parseChangeNotice('cases:42:1017,2233')).toEqual({ schema: 'cases', outboxId: 42, unitIds: [1017, 2233], from: undefined });
  });

  it('leaves the units unknown when the notification carries the outbox id alone (a large import)', () => {
    expect(parseChangeNotice('finances:7::2024-01-05')).toEqual({ schema: 'finances', outboxId: 7, unitIds: undefined, from: '2024-01-05' });
    expect(parseChangeNotice('finances:7')).toEqual({ schema: 'finances', outboxId: 7, unitIds: undefined, from: undefined });
  });

  it('reads the name the writing request gave the notice, on a change and on a rewrite of everything', () => {
    expect(parseChangeNotice('cases:42:1017:2026-11-20:a1b2c3d4e5.1z')).toEqual({
      schema: 'cases',
      outboxId: 42,
      unitIds: [1017],
      from: '2026-11-20',
      name: 'a1b2c3d4e5.1z',
    });
    expect(parseChangeNotice('all:0:::a1b2c3d4e5.20')).toEqual({ schema: 'all', outboxId: 0, unitIds: undefined, from: undefined, name: 'a1b2c3d4e5.20' });
    expect(parseChangeNotice('cases:42:1017:2026-11-20:')!.name).toBeUndefined();
  });

  it('names every notice of a request anew, in the order they are sent', () => {
    const changes = new ChangeNames();
    const [a, b] = [changes.next(), changes.next()];
    expect(a).toMatch(/^[0-9a-f]{10}\.[0-9a-z]+$/);
    expect(b).not.toBe(a);
    expect(changes.names).toEqual([a, b]);
    expect(new ChangeNames().next()).not.toBe(b);
  });

  it('ignores a unit list that is not one, and refuses a payload without an outbox id', () => {
    expect(parseChangeNotice('cases:9:12,x:yesterday')).toEqual({ schema: 'cases', outboxId: 9, unitIds: undefined, from: undefined });
    expect(parseChangeNotice('cases:')).toBeNull();
    expect(parseChangeNotice('cases:abc:12')).toBeNull();
    expect(parseChangeNotice('')).toBeNull();
  });
});
