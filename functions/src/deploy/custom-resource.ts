import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * Answers CloudFormation for a custom resource (the deploy waits for it at ResponseURL,
 * so every path must answer, failures included).
 */
export async function respond(
  event: CloudFormationCustomResourceEvent,
  physicalResourceId: string,
  status: 'SUCCESS' | 'FAILED',
  reason: string,
  data: Record<string, unknown>,
): Promise<void> {
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  // The pre-signed S3 URL accepts the PUT only without a content type.
  const response = await fetch(event.ResponseURL, {
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  if (!response.ok) throw new Error(`CloudFormation did not take the answer: ${response.status}`);
}
