import { describe, expect, it } from 'vitest';
import { flattenNestedStacks } from './nested-stacks.ts';
import { DeployedTemplate, type TemplateJson } from './template.ts';

const parent: TemplateJson = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'records' } },
    Routes: {
      Type: 'AWS::CloudFormation::Stack',
      Properties: {
        TemplateURL: 'https://example/hash.json',
        Parameters: { referencetoTableArn: { 'Fn::GetAtt': ['Table', 'Arn'] } },
      },
    },
    Stage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      DependsOn: ['Routes'],
      Properties: { Description: { 'Fn::GetAtt': ['Routes', 'Outputs.FunctionName'] } },
    },
  },
};
const nested: TemplateJson = {
  Parameters: { referencetoTableArn: { Type: 'String' } },
  Resources: {
    Handler: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'handler' } },
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyDocument: {
          Statement: [
            { Action: 'dynamodb:GetItem', Resource: { Ref: 'referencetoTableArn' } },
            {
              Action: 'dynamodb:Query',
              Resource: { 'Fn::Sub': `$\{referencetoTableArn}/index/*` },
            },
          ],
        },
      },
    },
  },
  Outputs: { FunctionName: { Value: { Ref: 'Handler' } } },
};

describe('nested stacks folded into their parent', () => {
  const flattened = flattenNestedStacks(parent, () => nested);
  const template = new DeployedTemplate(flattened, '/nonexistent');

  it('keeps every resource but the nested stack itself, with its own logical id', () => {
    expect(Object.keys(flattened.Resources).sort()).toEqual([
      'Handler',
      'Policy',
      'Stage',
      'Table',
    ]);
  });

  it("gives a nested parameter the parent's value, in Ref and in Fn::Sub alike", () => {
    const document = template.property<{ Statement: { Resource: string }[] }>(
      'Policy',
      'PolicyDocument',
    );
    expect(document.Statement.map((statement) => statement.Resource)).toEqual([
      'arn:aws:dynamodb:us-east-1:123456789012:table/records',
      'arn:aws:dynamodb:us-east-1:123456789012:table/records/index/*',
    ]);
  });

  it("reads a nested stack's output, and waits for all of its resources", () => {
    expect(template.property('Stage', 'Description')).toBe('handler');
    expect(flattened.Resources.Stage?.DependsOn).toEqual(['Handler', 'Policy']);
  });

  it('refuses a logical id found in both, and a parameter given no value', () => {
    expect(() =>
      flattenNestedStacks(parent, () => ({
        ...nested,
        Resources: { Table: { Type: 'AWS::Lambda::Function' } },
      })),
    ).toThrow(/repeats the logical id Table/);
    expect(() =>
      flattenNestedStacks(parent, () => ({
        ...nested,
        Parameters: { ...nested.Parameters, Missing: { Type: 'String' } },
      })),
    ).toThrow(/no value for its parameter Missing/);
  });
});
