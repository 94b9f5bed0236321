import type { DataSource } from 'typeorm';
import { createLoaders, type OrgUnitLoaders } from './units/org-unit.loaders';

export interface Context {
  requestId: string;
  loaders: OrgUnitLoaders;
}

export function createContext(db: DataSource, requestId: string): Context {
  return { requestId, loaders: createLoaders(db) };
}
