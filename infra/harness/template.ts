import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyStatement } from './iam.ts';
import { flattenNestedStacks } from './nested-stacks.ts';

/**
 * A synthesized CloudFormation template as a deployment would see it: every intrinsic
 * function resolved to the physical names and ARNs CloudFormation would give, in one
 * made-up account and region. The harness reads functions, roles, routes, state machines,
 * topics and queues through this class, and only through it, so what runs is what the
 * template says.
 */

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}

export interface TemplateJson {
  Resources: Record<string, Resource>;
  Conditions?: Record<string, unknown>;
  Parameters?: Record<string, { Default?: unknown; Type?: string }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface DeploymentPlace {
  account: string;
  region: string;
  partition: 'aws' | 'aws-cn';
  stackName: string;
}

export const defaultPlace: DeploymentPlace = {
  account: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  stackName: 'Qingling',
};

/** A short, stable suffix, as CloudFormation appends to generated names. */
const suffix = (logicalId: string) =>
  createHash('sha256').update(logicalId).digest('hex').slice(0, 12).toUpperCase();

export class DeployedTemplate {
  readonly json: TemplateJson;
  readonly place: DeploymentPlace;
  /** The cloud assembly folder: assets (bundles, state machine definitions) live there. */
  readonly assemblyDir: string;
  private readonly parameters: Record<string, unknown>;

  constructor(
    json: TemplateJson,
    assemblyDir: string,
    place: DeploymentPlace = defaultPlace,
    parameters: Record<string, unknown> = {},
  ) {
    this.json = json;
    this.assemblyDir = assemblyDir;
    this.place = place;
    this.parameters = parameters;
  }

  static fromAssembly(
    assemblyDir: string,
    stackName = 'Qingling',
    place?: Partial<DeploymentPlace>,
    parameters?: Record<string, unknown>,
  ): DeployedTemplate {
    const read = (file: string) =>
      JSON.parse(readFileSync(join(assemblyDir, file), 'utf8')) as TemplateJson;
    const json = flattenNestedStacks(read(`${stackName}.template.json`), (logicalId, resource) =>
      read(nestedTemplateFile(assemblyDir, stackName, logicalId, resource)),
    );
    return new DeployedTemplate(
      json,
      assemblyDir,
      { ...defaultPlace, stackName, ...place },
      parameters,
    );
  }

  get resources(): Record<string, Resource> {
    return this.json.Resources;
  }

  resource(logicalId: string): Resource {
    const found = this.json.Resources[logicalId];
    if (!found) throw new Error(`The template has no resource ${logicalId}`);
    return found;
  }

  ofType(type: string): { logicalId: string; resource: Resource }[] {
    return Object.entries(this.json.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({ logicalId, resource }));
  }

  /** A resource's property, resolved. */
  property<T = unknown>(logicalId: string, name: string): T {
    return this.resolve(this.resource(logicalId).Properties?.[name]) as T;
  }

  arn(service: string, resource: string, region = this.place.region, account = this.place.account) {
    return `arn:${this.place.partition}:${service}:${region}:${account}:${resource}`;
  }

  /** What `Ref` gives for a resource: its name, id or ARN depending on its type. */
  ref(logicalId: string): string {
    if (logicalId in pseudoParameters) return pseudoParameters[logicalId]?.(this.place) ?? '';
    if (this.json.Parameters?.[logicalId]) {
      const value = this.parameters[logicalId] ?? this.json.Parameters[logicalId]?.Default;
      return String(value ?? '');
    }
    const resource = this.resource(logicalId);
    const props = resource.Properties ?? {};
    const named = (property: string, fallback: string) =>
      typeof props[property] === 'string' ? (props[property] as string) : fallback;
    const generated = `${this.place.stackName}-${logicalId}-${suffix(logicalId)}`;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
        return named('TableName', generated);
      case 'AWS::S3::Bucket':
        return named('BucketName', generated.toLowerCase());
      case 'AWS::Lambda::Function':
        return named('FunctionName', generated);
      case 'AWS::IAM::Role':
        return named('RoleName', generated);
      case 'AWS::Logs::LogGroup':
        return named('LogGroupName', `/aws/${generated}`);
      case 'AWS::SNS::Topic':
        return this.arn('sns', named('TopicName', generated));
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.place.region}.${urlSuffix(this.place)}/${this.place.account}/${named('QueueName', generated)}`;
      case 'AWS::SecretsManager::Secret':
        return this.arn('secretsmanager', `secret:${named('Name', generated)}-AbCdEf`);
      case 'AWS::KMS::Key':
        return uuidOf(logicalId);
      case 'AWS::StepFunctions::StateMachine':
        return this.arn('states', `stateMachine:${named('StateMachineName', generated)}`);
      case 'AWS::Cognito::UserPool':
        return `${this.place.region}_${suffix(logicalId).slice(0, 9)}`;
      case 'AWS::Cognito::UserPoolClient':
        return suffix(logicalId).toLowerCase();
      case 'AWS::ApiGatewayV2::Api':
        return suffix(logicalId).slice(0, 10).toLowerCase();
      case 'AWS::Events::Rule':
        return named('Name', generated);
      default:
        return generated;
    }
  }

  /** What `Fn::GetAtt` gives. */
  getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    const name = this.ref(logicalId);
    const { region, account, partition } = this.place;
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::DynamoDB::Table.Arn':
        return this.arn('dynamodb', `table/${name}`);
      case 'AWS::S3::Bucket.Arn':
        return `arn:${partition}:s3:::${name}`;
      case 'AWS::S3::Bucket.RegionalDomainName':
        return `${name}.s3.${region}.${urlSuffix(this.place)}`;
      case 'AWS::S3::Bucket.DomainName':
        return `${name}.s3.${urlSuffix(this.place)}`;
      case 'AWS::Lambda::Function.Arn':
        return this.arn('lambda', `function:${name}`);
      case 'AWS::IAM::Role.Arn':
        return `arn:${partition}:iam::${account}:role/${name}`;
      case 'AWS::Logs::LogGroup.Arn':
        return this.arn('logs', `log-group:${name}:*`);
      case 'AWS::SNS::Topic.TopicArn':
        return name;
      case 'AWS::SNS::Topic.TopicName':
        return name.split(':').pop() ?? name;
      case 'AWS::SQS::Queue.Arn':
        return this.arn('sqs', name.split('/').pop() ?? name);
      case 'AWS::SQS::Queue.QueueName':
        return name.split('/').pop() ?? name;
      case 'AWS::SQS::Queue.QueueUrl':
        return name;
      case 'AWS::KMS::Key.Arn':
        return this.arn('kms', `key/${name}`);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return name;
      case 'AWS::StepFunctions::StateMachine.Name':
        return name.split(':').pop() ?? name;
      case 'AWS::Cognito::UserPool.Arn':
        return this.arn('cognito-idp', `userpool/${name}`);
      case 'AWS::Cognito::UserPool.ProviderURL':
        return `https://cognito-idp.${region}.${urlSuffix(this.place)}/${name}`;
      case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
        return `https://${name}.execute-api.${region}.${urlSuffix(this.place)}`;
      case 'AWS::Events::Rule.Arn':
        return this.arn('events', `rule/${name}`);
      default:
        return `${name}.${attribute}`;
    }
  }

  /** Resolves CloudFormation's intrinsic functions in a value. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) {
      return value.map((item) => this.resolve(item)).filter((item) => item !== noValue);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const [first] = entries;
    if (entries.length === 1 && first) {
      const [key, argument] = first;
      switch (key) {
        case 'Ref':
          return argument === 'AWS::NoValue' ? noValue : this.ref(argument as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(argument)
            ? (argument as string[])
            : String(argument).split(/\.(.*)/);
          return this.getAtt(String(id), String(attribute));
        }
        case 'Fn::Join': {
          const [separator, parts] = argument as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Sub':
          return this.sub(argument);
        case 'Fn::Select': {
          const [index, list] = argument as [unknown, unknown];
          return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, source] = argument as [string, unknown];
          return String(this.resolve(source)).split(separator);
        }
        case 'Fn::If': {
          const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
          return this.resolve(this.condition(condition) ? whenTrue : whenFalse);
        }
        case 'Fn::Base64':
          return Buffer.from(String(this.resolve(argument))).toString('base64');
        default:
          if (key.startsWith('Fn::')) throw new Error(`The harness cannot resolve ${key}`);
      }
    }
    const resolved: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const value = this.resolve(item);
      if (value !== noValue) resolved[key] = value;
    }
    return resolved;
  }

  condition(name: string): boolean {
    const definition = this.json.Conditions?.[name];
    if (definition === undefined) throw new Error(`The template has no condition ${name}`);
    return this.evaluateCondition(definition);
  }

  private evaluateCondition(value: unknown): boolean {
    if (typeof value === 'object' && value !== null && 'Condition' in value) {
      return this.condition((value as { Condition: string }).Condition);
    }
    const [[operator, argument]] = Object.entries(value as Record<string, unknown>) as [
      [string, unknown[]],
    ];
    switch (operator) {
      case 'Fn::Equals': {
        const [left, right] = argument.map((item) => this.resolve(item));
        return JSON.stringify(left) === JSON.stringify(right);
      }
      case 'Fn::Or':
        return argument.some((item) => this.evaluateCondition(item));
      case 'Fn::And':
        return argument.every((item) => this.evaluateCondition(item));
      case 'Fn::Not':
        return !this.evaluateCondition(argument[0]);
      default:
        throw new Error(`The harness cannot evaluate condition ${operator}`);
    }
  }

  private sub(argument: unknown): string {
    const [text, variables] = Array.isArray(argument)
      ? (argument as [string, Record<string, unknown>])
      : [argument as string, {}];
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_match, name: string) => {
      if (name in variables) return String(this.resolve(variables[name]));
      const [id, attribute] = name.split(/\.(.*)/);
      return attribute ? this.getAtt(String(id), attribute) : this.ref(name);
    });
  }

  /** Every identity-policy statement attached to a role (inline and AWS::IAM::Policy). */
  roleStatements(roleLogicalId: string): PolicyStatement[] {
    const statements: PolicyStatement[] = [];
    const role = this.resource(roleLogicalId);
    const inline = (role.Properties?.Policies ?? []) as { PolicyDocument: unknown }[];
    for (const policy of inline)
      statements.push(...documentStatements(this.resolve(policy.PolicyDocument)));
    if ((role.Properties?.ManagedPolicyArns as unknown[] | undefined)?.length) {
      throw new Error(`${roleLogicalId} has managed policies: the harness cannot read them`);
    }
    for (const { resource } of this.ofType('AWS::IAM::Policy')) {
      const roles = (resource.Properties?.Roles ?? []) as unknown[];
      if (!roles.some((entry) => (entry as { Ref?: string }).Ref === roleLogicalId)) continue;
      statements.push(...documentStatements(this.resolve(resource.Properties?.PolicyDocument)));
    }
    return statements;
  }

  /** The logical id of the resource whose `Ref`/`GetAtt` gives this value, if any. */
  logicalIdOf(value: unknown): string | undefined {
    const object = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] } | undefined;
    return object?.Ref ?? object?.['Fn::GetAtt']?.[0];
  }
}

/**
 * The file of a nested stack's template in the assembly: its TemplateURL ends in the
 * asset's hash, which the stack's asset manifest maps to the file.
 */
export function nestedTemplateFile(
  assemblyDir: string,
  stackName: string,
  logicalId: string,
  resource: Resource,
): string {
  const metadataPath = resource.Metadata?.['aws:asset:path'];
  if (typeof metadataPath === 'string') return metadataPath;
  const url = JSON.stringify(resource.Properties?.TemplateURL ?? '');
  const hash = /([0-9a-f]{64})\.json/.exec(url)?.[1];
  const assets = JSON.parse(
    readFileSync(join(assemblyDir, `${stackName}.assets.json`), 'utf8'),
  ) as { files: Record<string, { source: { path: string } }> };
  const file = hash ? assets.files[hash]?.source.path : undefined;
  if (!file) throw new Error(`No template in the assembly for nested stack ${logicalId}`);
  return file;
}

function documentStatements(document: unknown): PolicyStatement[] {
  const statement = (document as { Statement?: PolicyStatement | PolicyStatement[] })?.Statement;
  return Array.isArray(statement) ? statement : statement ? [statement] : [];
}

const noValue = Symbol('AWS::NoValue');

const urlSuffix = (place: DeploymentPlace) =>
  place.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';

const pseudoParameters: Record<string, (place: DeploymentPlace) => string> = {
  'AWS::Region': (place) => place.region,
  'AWS::AccountId': (place) => place.account,
  'AWS::Partition': (place) => place.partition,
  'AWS::URLSuffix': urlSuffix,
  'AWS::StackName': (place) => place.stackName,
  'AWS::StackId': (place) =>
    `arn:${place.partition}:cloudformation:${place.region}:${place.account}:stack/${place.stackName}/${uuidOf(place.stackName)}`,
};

function uuidOf(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
