import 'reflect-metadata';
import { createLogger, readServiceConfig, runProcess } from '@thads/kit';
import { DEFAULT_PORT, start } from './server';

runProcess('complaints', createLogger('complaints'), () => start(readServiceConfig(DEFAULT_PORT)));
