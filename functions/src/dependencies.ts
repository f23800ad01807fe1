import { createDocumentClient } from '@qingling/shared/adapters/dynamodb/client.ts';
import { DynamoReferenceData } from '@qingling/shared/adapters/dynamodb/reference-data.ts';

/**
 * The adapters a handler uses, built once per Lambda instance from its environment. The
 * same variables are set by CDK on AWS and by the embedded cloud on one machine.
 */
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}

let documents: { client: ReturnType<typeof createDocumentClient>; endpoint?: string } | undefined;
const documentClient = () => {
  // Rebuilt if the endpoint changes: the embedded cloud may restart dynalite in-process.
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!documents || documents.endpoint !== endpoint) {
    documents = { client: createDocumentClient(), endpoint };
  }
  return documents.client;
};

export const dependencies = {
  referenceData: () => new DynamoReferenceData(documentClient(), requireEnv('TABLE_NAME')),
  codeVersion: () => process.env.CODE_VERSION ?? 'dev',
};
