import { createHash, randomUUID } from 'node:crypto';
import {
  type AwsResponse,
  type Caller,
  jsonError,
  ServiceError,
  type ServiceRegistration,
  xmlEscape,
} from '../aws-endpoint.ts';
import { evaluate, type PolicyStatement } from '../iam.ts';
import type { LambdaRuntime } from '../lambda-runtime.ts';
import type { DeployedTemplate } from '../template.ts';

/**
 * SNS, SQS and SES as the template wires them: a publish to a topic reaches its
 * subscriptions (SQS queues, in SNS's envelope unless raw delivery is on), a queue feeds
 * its event source mapping's function (polled with that function's role, as Lambda does),
 * and messages that fail maxReceiveCount times move to the queue's dead-letter queue.
 * What leaves the system (e-mail, SMS) is kept in `sent`, like the embedded cloud's outbox.
 */

export interface SentMessage {
  channel: 'email' | 'sms';
  to: string;
  subject?: string;
  text: string;
  /** SNS message attributes (SMS carries the step key in one). */
  attributes?: Record<string, string>;
}

interface QueuedMessage {
  id: string;
  body: string;
  receiveCount: number;
}

interface Queue {
  logicalId: string;
  arn: string;
  url: string;
  messages: QueuedMessage[];
  /** Messages moved to this queue as a dead-letter queue, or given up on (no DLQ). */
  stuck: QueuedMessage[];
  deadLetterArn?: string;
  maxReceiveCount: number;
}

type Json = Record<string, unknown>;

export class MessagingService {
  readonly sent: SentMessage[] = [];
  /** Deliveries AWS would drop (a queue policy that does not let the service send). */
  readonly undelivered: string[] = [];
  /** Event source mappings an operator enabled (those the template leaves disabled). */
  private readonly enabledMappings = new Set<string>();
  readonly queues = new Map<string, Queue>();
  private readonly template: DeployedTemplate;
  private readonly runtime: LambdaRuntime;
  private readonly callerOf: (roleLogicalId: string) => Caller;
  private readonly busy = new Set<Promise<unknown>>();

  constructor(
    template: DeployedTemplate,
    runtime: LambdaRuntime,
    callerOf: (roleLogicalId: string) => Caller,
  ) {
    this.template = template;
    this.runtime = runtime;
    this.callerOf = callerOf;
    for (const { logicalId, resource } of template.ofType('AWS::SQS::Queue')) {
      const redrive = template.resolve(resource.Properties?.RedrivePolicy) as
        | { deadLetterTargetArn?: string; maxReceiveCount?: number }
        | undefined;
      const arn = template.getAtt(logicalId, 'Arn');
      this.queues.set(arn, {
        logicalId,
        arn,
        url: template.ref(logicalId),
        messages: [],
        stuck: [],
        ...(redrive?.deadLetterTargetArn ? { deadLetterArn: redrive.deadLetterTargetArn } : {}),
        maxReceiveCount: Number(redrive?.maxReceiveCount ?? Number.POSITIVE_INFINITY),
      });
    }
  }

  /** Resolves once every delivery under way (topic → queue → function) has finished. */
  async settled(): Promise<void> {
    while (this.busy.size) await Promise.allSettled([...this.busy]);
  }

  sns(): ServiceRegistration {
    const xml = (status: number, body: string): AwsResponse => ({
      status,
      headers: { 'content-type': 'text/xml' },
      body,
    });
    const error = (failure: ServiceError) =>
      xml(
        failure.status,
        `<ErrorResponse><Error><Type>Sender</Type><Code>${failure.code}</Code><Message>${xmlEscape(failure.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
    return {
      error,
      denied: (message) => error(new ServiceError('AuthorizationError', message, 403)),
      handle: async (request, caller) => {
        const form = new URLSearchParams(request.body.toString('utf8'));
        if (form.get('Action') !== 'Publish') {
          throw new ServiceError(
            'InvalidAction',
            `The harness does not emulate ${form.get('Action')}`,
          );
        }
        const message = form.get('Message') ?? '';
        const phone = form.get('PhoneNumber');
        const topicArn = form.get('TopicArn') ?? form.get('TargetArn');
        const messageId = randomUUID();
        if (phone) {
          // SMS to a phone number: IAM knows no resource for it but "*".
          caller.authorize({ action: 'sns:Publish', resource: '*' });
          this.sent.push({
            channel: 'sms',
            to: phone,
            text: message,
            attributes: attributesOf(form),
          });
        } else if (topicArn) {
          caller.authorize({ action: 'sns:Publish', resource: topicArn });
          this.publishToTopic(topicArn, message, form.get('Subject') ?? undefined, caller);
        } else {
          throw new ServiceError('InvalidParameter', 'Invalid parameter: TopicArn or PhoneNumber');
        }
        return xml(
          200,
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
        );
      },
    };
  }

  ses(): ServiceRegistration {
    const error = jsonError('application/json');
    return {
      error,
      denied: (message) => error(new ServiceError('AccessDeniedException', message, 403)),
      handle: async (request, caller) => {
        if (request.method !== 'POST' || request.url.pathname !== '/v2/email/outbound-emails') {
          throw new ServiceError(
            'NotFoundException',
            `The harness does not emulate ${request.url.pathname}`,
          );
        }
        const body = JSON.parse(request.body.toString('utf8')) as {
          FromEmailAddress?: string;
          Destination?: { ToAddresses?: string[] };
          Content?: {
            Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string } } };
          };
        };
        const from = body.FromEmailAddress ?? '';
        const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
        const domain = address.split('@')[1] ?? address;
        // Sending is authorized on the identity: the address, or its verified domain.
        const identities = [address, domain].map((name) =>
          this.template.arn('ses', `identity/${name}`),
        );
        let allowed = false;
        for (const resource of identities) {
          try {
            caller.authorize({ action: 'ses:SendEmail', resource });
            allowed = true;
            break;
          } catch (denied) {
            if (resource === identities.at(-1)) throw denied;
          }
        }
        if (allowed) {
          for (const to of body.Destination?.ToAddresses ?? []) {
            this.sent.push({
              channel: 'email',
              to,
              subject: body.Content?.Simple?.Subject?.Data ?? '',
              text: body.Content?.Simple?.Body?.Text?.Data ?? '',
            });
          }
        }
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ MessageId: randomUUID() }),
        };
      },
    };
  }

  private publishToTopic(
    topicArn: string,
    message: string,
    subject: string | undefined,
    caller: Caller,
  ) {
    const topic = this.template
      .ofType('AWS::SNS::Topic')
      .find(({ logicalId }) => this.template.ref(logicalId) === topicArn);
    if (!topic) throw new ServiceError('NotFound', 'Topic does not exist', 404);
    // An encrypted topic needs the publisher to use its key, as SNS does on its behalf.
    const keyId = topic.resource.Properties?.KmsMasterKeyId;
    if (keyId) {
      const keyLogicalId = this.template.logicalIdOf(keyId);
      const keyArn = keyLogicalId
        ? this.template.getAtt(keyLogicalId, 'Arn')
        : String(this.template.resolve(keyId));
      caller.authorize({ action: 'kms:GenerateDataKey', resource: keyArn });
      caller.authorize({ action: 'kms:Decrypt', resource: keyArn });
    }
    for (const { resource } of this.template.ofType('AWS::SNS::Subscription')) {
      const properties = this.template.resolve(resource.Properties) as Json;
      if (properties.TopicArn !== topicArn || properties.Protocol !== 'sqs') continue;
      const queue = this.queues.get(String(properties.Endpoint));
      if (!queue) continue;
      if (!this.queuePolicyAllows(queue, 'sns.amazonaws.com', topicArn)) continue;
      const body = properties.RawMessageDelivery
        ? message
        : JSON.stringify({
            Type: 'Notification',
            MessageId: randomUUID(),
            TopicArn: topicArn,
            ...(subject ? { Subject: subject } : {}),
            Message: message,
            Timestamp: new Date().toISOString(),
          });
      this.enqueue(queue, body);
    }
  }

  /**
   * What `aws lambda update-event-source-mapping --enabled` does for the mapping that feeds
   * a function from a queue: the queue is drained from now on.
   */
  enableMapping(functionArn: string): void {
    this.enabledMappings.add(functionArn);
    for (const queue of this.queues.values()) this.track(this.drain(queue));
  }

  /** EventBridge: an event reaches the targets (SQS queues) of every enabled rule it matches. */
  putEvent(event: Json): void {
    for (const { logicalId, resource } of this.template.ofType('AWS::Events::Rule')) {
      const properties = this.template.resolve(resource.Properties) as Json;
      if (properties.State === 'DISABLED' || !properties.EventPattern) continue;
      if (!matches(properties.EventPattern, event)) continue;
      const ruleArn = this.template.getAtt(logicalId, 'Arn');
      for (const target of (properties.Targets ?? []) as Json[]) {
        const queue = this.queues.get(String(target.Arn));
        if (!queue) continue;
        if (!this.queuePolicyAllows(queue, 'events.amazonaws.com', ruleArn)) continue;
        this.enqueue(queue, transformed(event, target));
      }
    }
  }

  /** A service may send to a queue only where the queue's policy lets it (aws:SourceArn). */
  private queuePolicyAllows(queue: Queue, service: string, sourceArn: string): boolean {
    const policies = this.template
      .ofType('AWS::SQS::QueuePolicy')
      .map(({ resource }) => this.template.resolve(resource.Properties) as Json)
      .filter((properties) => ((properties.Queues ?? []) as string[]).includes(queue.url));
    const statements = policies.flatMap((properties) => {
      const document = properties.PolicyDocument as {
        Statement: (PolicyStatement & { Principal?: unknown })[];
      };
      return document.Statement.filter((statement) => {
        const principal = statement.Principal as
          | { Service?: string | string[]; AWS?: string }
          | string;
        if (principal === '*' || (typeof principal === 'object' && principal.AWS === '*'))
          return true;
        return [principal && typeof principal === 'object' ? principal.Service : undefined]
          .flat()
          .includes(service);
      });
    });
    const decision = evaluate(statements, {
      action: 'sqs:SendMessage',
      resource: queue.arn,
      context: { 'aws:SourceArn': sourceArn, 'aws:SecureTransport': 'true' },
    });
    if (!decision.allowed) {
      this.undelivered.push(`${service} may not send to ${queue.logicalId} (from ${sourceArn})`);
    }
    return decision.allowed;
  }

  enqueue(queue: Queue, body: string): void {
    queue.messages.push({ id: randomUUID(), body, receiveCount: 0 });
    this.track(this.drain(queue));
  }

  private track(work: Promise<unknown>) {
    this.busy.add(work);
    void work.finally(() => this.busy.delete(work));
  }

  /** The event source mapping's poller: batches to the function, failures back or onward. */
  private async drain(queue: Queue): Promise<void> {
    const mapping = this.template
      .ofType('AWS::Lambda::EventSourceMapping')
      .map(({ resource }) => this.template.resolve(resource.Properties) as Json)
      .find((properties) => properties.EventSourceArn === queue.arn);
    if (!mapping) return;
    const mappingId = String(mapping.FunctionName);
    if (mapping.Enabled === false && !this.enabledMappings.has(mappingId)) return;
    const fn = this.runtime.find(String(mapping.FunctionName));
    const poller = this.callerOf(fn.roleLogicalId);
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']) {
      poller.authorize({ action, resource: queue.arn });
    }
    const batchSize = Number(mapping.BatchSize ?? 10);
    const reportsFailures = ((mapping.FunctionResponseTypes ?? []) as string[]).includes(
      'ReportBatchItemFailures',
    );
    while (queue.messages.length) {
      const batch = queue.messages.splice(0, batchSize);
      for (const message of batch) message.receiveCount += 1;
      let failed: Set<string>;
      try {
        const result = (await this.runtime.invoke(fn.arn, {
          Records: batch.map((message) => ({
            messageId: message.id,
            receiptHandle: message.id,
            body: message.body,
            attributes: { ApproximateReceiveCount: String(message.receiveCount) },
            messageAttributes: {},
            md5OfBody: createHash('md5').update(message.body).digest('hex'),
            eventSource: 'aws:sqs',
            eventSourceARN: queue.arn,
            awsRegion: this.template.place.region,
          })),
        })) as { batchItemFailures?: { itemIdentifier: string }[] } | null;
        failed = new Set(
          reportsFailures
            ? (result?.batchItemFailures ?? []).map((item) => item.itemIdentifier)
            : [],
        );
      } catch {
        failed = new Set(batch.map((message) => message.id));
      }
      for (const message of batch) {
        if (!failed.has(message.id)) continue;
        const deadLetters = queue.deadLetterArn ? this.queues.get(queue.deadLetterArn) : undefined;
        // Without a dead-letter queue SQS would retry until retention ends: the harness
        // stops after ten receives and keeps the message where a test can see it.
        if (message.receiveCount >= Math.min(queue.maxReceiveCount, 10)) {
          (deadLetters ?? queue).stuck.push(message);
        } else {
          queue.messages.push(message);
        }
      }
    }
  }
}

/** SNS's query-protocol message attributes: MessageAttributes.entry.N.Name / Value.StringValue. */
function attributesOf(form: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let index = 1; form.has(`MessageAttributes.entry.${index}.Name`); index += 1) {
    const name = form.get(`MessageAttributes.entry.${index}.Name`) ?? '';
    attributes[name] = form.get(`MessageAttributes.entry.${index}.Value.StringValue`) ?? '';
  }
  return attributes;
}

/** EventBridge's pattern matching, as far as rules here use it: values listed, nested objects. */
function matches(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(event as never);
  if (pattern && typeof pattern === 'object') {
    return Object.entries(pattern as Json).every(([key, inner]) =>
      matches(inner, (event as Json | undefined)?.[key]),
    );
  }
  return pattern === event;
}

/** A target's input: its InputTransformer (paths into the event, then the template), or the event. */
function transformed(event: Json, target: Json): string {
  if (typeof target.Input === 'string') return target.Input;
  const transformer = target.InputTransformer as
    | { InputPathsMap?: Record<string, string>; InputTemplate: string }
    | undefined;
  if (!transformer) return JSON.stringify(event);
  const values: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    values[name] = path
      .replace(/^\$\.?/, '')
      .split('.')
      .filter(Boolean)
      .reduce<unknown>((value, key) => (value as Json | undefined)?.[key], event);
  }
  // Outside quotes a placeholder becomes the value as JSON (EventBridge's rule).
  return transformer.InputTemplate.replace(/<([\w-]+)>/g, (_match, name: string) =>
    JSON.stringify(values[name] ?? null),
  );
}
