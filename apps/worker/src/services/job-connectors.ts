import type { DxaConfig } from '@dxa/config';
import {
  createDestination,
  createSource,
  createStage,
  type DestinationConnector,
  type SourceConnector,
  type StageConnector,
} from '@dxa/connectors';
import type { Logger } from '@dxa/logger';

/** The connectors one job uses, opened on first use and closed together when the job ends. */
export type JobConnectors = {
  source(name: string): SourceConnector;
  stage(name: string): StageConnector;
  destination(name: string): DestinationConnector;
  close(): Promise<void>;
};

type Closable = { close(): Promise<void> };

export function openJobConnectors(config: DxaConfig, logger: Logger): JobConnectors {
  const open = new Map<string, Closable>();
  function cached<T extends Closable>(key: string, create: () => T): T {
    const existing = open.get(key);
    if (existing) return existing as T;
    const created = create();
    open.set(key, created);
    return created;
  }
  return {
    source: (name) => cached(`source:${name}`, () => createSource(config, name, logger)),
    stage: (name) => cached(`stage:${name}`, () => createStage(config, name, logger)),
    destination: (name) => cached(`target:${name}`, () => createDestination(config, name, logger)),
    async close() {
      const all = [...open.entries()];
      open.clear();
      const results = await Promise.allSettled(all.map(([, c]) => c.close()));
      results.forEach((r, i) => {
        if (r.status === 'rejected')
          logger.warn('closing a connector failed', { connector: all[i]?.[0], error: String(r.reason) });
      });
    },
  };
}
