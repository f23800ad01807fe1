import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of every function (Powertools: JSON lines with the request id). Its own
 * module, so that a function that is no API route logs without bundling the API's
 * validation. Anonymity: the logger never receives the event, so no IP address or user
 * agent is logged.
 */
export const logger = new Logger({ serviceName: 'qingling' });
