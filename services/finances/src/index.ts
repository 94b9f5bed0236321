import 'reflect-metadata';
import { createLogger, readServiceConfig, runProcess } from '@thads/kit';
import { DEFAULT_PORT, start } from './server';

runProcess('finances', createLogger('finances'), () => start(readServiceConfig(DEFAULT_PORT)));
