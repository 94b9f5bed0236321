import { RetentionPolicy, StorageType, nanos, type NatsConnection } from 'nats';

/** One outbox row, as published on the stream. */
export interface ChangeMessage {
  schema: string;
  id: number;
  unitIds: number[];
}

export const DEFAULT_CHANGE_STREAM = 'THADS_CHANGES';
/** Where a NATS of the machine listens (NATS_URL's default, for the gateway and the services alike). */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The JetStream stream that carries committed changes when the live transport is NATS:
 * one subject a schema (`THADS_CHANGES.cases`, …), the gateways reading `THADS_CHANGES.>`.
 * Hubs on different databases that share a NATS server give their streams different names
 * (NATS_STREAM): outbox ids are only unique within a database.
 */
export class ChangeStream {
  constructor(readonly name: string = DEFAULT_CHANGE_STREAM) {
    if (!NAME.test(name)) throw new Error(`NATS_STREAM must be 1–64 letters, digits, "_" or "-"; got "${name}".`);
  }

  subject(schema: string): string {
    return `${this.name}.${schema}`;
  }

  get all(): string {
    return `${this.name}.>`;
  }

  /**
   * Creates the stream when it is missing: changes kept a day (a gateway only needs what
   * arrives while it runs; it refreshes everything when it starts), duplicates of one
   * outbox row (`<schema>:<id>`) dropped within two minutes, so a relay may publish again.
   */
  async ensure(nc: NatsConnection): Promise<void> {
    const jsm = await nc.jetstreamManager();
    const exists = () =>
      jsm.streams.info(this.name).then(
        () => true,
        () => false,
      );
    if (await exists()) return;
    await jsm.streams
      .add({
        name: this.name,
        subjects: [this.all],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: nanos(24 * 3600 * 1000),
        duplicate_window: nanos(2 * 60 * 1000),
      })
      .catch(async (err: Error) => {
        if (!(await exists())) throw err; // else another relay or gateway created it meanwhile
      });
  }
}
