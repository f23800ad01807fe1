import { seedData } from '@qingling/shared/reference/reference-data.ts';
import { CfnCondition, CfnParameter, CustomResource, Duration, Fn } from 'aws-cdk-lib';
import { CfnUserPoolUser, type UserPool } from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { seedDataEntry } from '../paths.ts';
import { NodeFunction } from './node-function.ts';
import type { RecordsTable } from './records-table.ts';

export interface DataSeedProps {
  table: RecordsTable;
  codeVersion: string;
  logRetention: RetentionDays;
  /** The Cognito user pool, when this stack signs officers in: the first administrator goes there. */
  userPool?: UserPool;
}

/**
 * A deploy seeds itself: a custom resource runs the data migrations (jurisdictions,
 * industries, the seed marker) on every deploy whose seed version changed, and, with
 * Cognito, the deploy parameter FirstAdministratorEmail creates the first administrator
 * (Cognito e-mails a temporary password; TOTP is set up at first sign-in). With another
 * OIDC issuer, administrators are whoever that issuer gives the administrator role.
 */
export class DataSeed extends Construct {
  readonly function: NodeFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DataSeedProps) {
    super(scope, id);
    this.function = new NodeFunction(this, 'Migrate', {
      entry: seedDataEntry,
      description: 'Qingling deploy: apply the seed data (jurisdictions, industries)',
      logRetention: props.logRetention,
      timeout: Duration.minutes(5),
      environment: {
        TABLE_NAME: props.table.table.tableName,
        CODE_VERSION: props.codeVersion,
        POWERTOOLS_SERVICE_NAME: 'qingling',
      },
    });
    // Only what it seeds: the reference data and the seed marker.
    props.table.grantPartitions(this.function.role, {
      read: [],
      write: ['JURISDICTION', 'INDUSTRY', 'META'],
    });
    // CloudFormation refuses to change a custom resource's ServiceToken, so the resource
    // that names the alias has an id of its own ('Applied' named the function): a stack
    // deployed before gets a Create here (the migrations are idempotent) and a Delete for
    // the old one, which the handler answers without touching the record.
    this.resource = new CustomResource(this, 'AppliedByAlias', {
      serviceToken: this.function.alias.functionArn,
      resourceType: 'Custom::QinglingSeedData',
      // A new seed version runs the migrations again (an Update event).
      properties: { version: seedData.version },
    });
    this.function.invokedBy(this.resource);

    if (props.userPool) {
      const email = new CfnParameter(this, 'FirstAdministratorEmail', {
        type: 'String',
        default: '',
        description:
          'E-mail of the first administrator (Cognito sends a temporary password); empty for none.',
        allowedPattern: '^$|^[^@\\s]+@[^@\\s]+$',
      });
      email.overrideLogicalId('FirstAdministratorEmail');
      const given = new CfnCondition(this, 'FirstAdministratorGiven', {
        expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, '')),
      });
      const administrator = new CfnUserPoolUser(this, 'FirstAdministrator', {
        userPoolId: props.userPool.userPoolId,
        username: email.valueAsString,
        desiredDeliveryMediums: ['EMAIL'],
        userAttributes: [
          { name: 'email', value: email.valueAsString },
          { name: 'email_verified', value: 'true' },
          { name: 'custom:roles', value: 'administrator' },
          {
            name: 'custom:jurisdictions',
            value: seedData.jurisdictions.map((jurisdiction) => jurisdiction.code).join(' '),
          },
        ],
      });
      administrator.cfnOptions.condition = given;
    }
  }
}
