import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One document client per process. The endpoint comes from the SDK's own configuration
 * (AWS_ENDPOINT_URL_DYNAMODB), which the embedded cloud points at dynalite: the same code
 * talks to DynamoDB on AWS and to the emulator on one machine.
 */
export function createDocumentClient(client = new DynamoDBClient({})): DynamoDBDocumentClient {
  withoutCallLogging(client);
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/**
 * The SDK's logger middleware copies each call's input and output through their schemas'
 * sensitive-data filters before it hands them to `logger.info`, and its default logger has
 * an `info` that does nothing: every call walked every item twice for nothing (about 1 % of
 * a tip's CPU in a profile, issue 13). Nothing here gives the SDK a logger (calls are
 * logged by the adapters, with their own words), so the middleware goes.
 */
export function withoutCallLogging(client: DynamoDBClient): DynamoDBClient {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}
