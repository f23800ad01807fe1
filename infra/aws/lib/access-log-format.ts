/**
 * The API's access-log line. Anonymity (design principle 4): no `$context.identity.*`
 * (source IP, user agent, …) and no `$context.path`, whose path parameters may carry a
 * tipster's receipt; the route template (`$context.routeKey`) says which operation ran.
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
} as const;

/** Substrings an access-log format must never contain. */
export const forbiddenLogVariables = [
  'sourceIp',
  'userAgent',
  '$context.identity',
  '$context.path',
];

/** The format as one JSON line, checked against the forbidden variables. */
export function accessLogFormat(fields: Record<string, string> = accessLogFields): string {
  const format = JSON.stringify(fields);
  const found = forbiddenLogVariables.filter((variable) => format.includes(variable));
  if (found.length) {
    throw new Error(`An access-log format must not carry ${found.join(', ')} (anonymity)`);
  }
  return format;
}
