import 'reflect-metadata';
import { createLogger, readServiceConfig, runProcess } from '@thads/kit';
import { DEFAULT_PORT, start } from './server';

runProcess('cases', createLogger('cases'), () => start(readServiceConfig(DEFAULT_PORT)));
