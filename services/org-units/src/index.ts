import 'reflect-metadata';
import { createLogger, readServiceConfig, runProcess } from '@thads/kit';
import { DEFAULT_PORT, start } from './server';

runProcess('org-units', createLogger('org-units'), () => start(readServiceConfig(DEFAULT_PORT)));
