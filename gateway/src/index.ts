import 'reflect-metadata';
import { createLogger, runProcess } from '@thads/kit';
import { readGatewayConfig } from './config';
import { start } from './server';

runProcess('gateway', createLogger('gateway'), () => start(readGatewayConfig()));
