import type { DataSource } from 'typeorm';
import type { Access, ServiceConfig } from '@thads/kit';
import { createLoaders, type OrgUnitLoaders } from './units/org-unit.loaders';

export interface Context {
  requestId: string;
  access: Access;
  loaders: OrgUnitLoaders;
}

export function createContext(db: DataSource, requestId: string, _config: ServiceConfig, access: Access): Context {
  return { requestId, access, loaders: createLoaders(db) };
}
