import { type RouteDefinition, routes } from '@qingling/shared/api/routes.ts';
import { CfnCondition, CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSubscription } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { checkProfile, type DeploymentConfig, type Profile } from './config.ts';
import { ChainHeadsPublication } from './constructs/chain-heads.ts';
import { DataSeed } from './constructs/data-seed.ts';
import { EvidenceBucket } from './constructs/evidence-bucket.ts';
import { HazardLifecycle } from './constructs/hazard-lifecycle.ts';
import { QinglingHttpApi } from './constructs/http-api.ts';
import { LedgerExports } from './constructs/ledger-exports.ts';
import { NotificationDelivery } from './constructs/notification-delivery.ts';
import { OfficerAuth } from './constructs/officer-auth.ts';
import { OriginVerification } from './constructs/origin-verification.ts';
import { OrphanUploadSweep } from './constructs/orphan-upload-sweep.ts';
import { PhotoProcessor } from './constructs/photo-processor.ts';
import { RecordsTable } from './constructs/records-table.ts';
import { RetentionSweep } from './constructs/retention-sweep.ts';
import { StaticSite } from './constructs/static-site.ts';
import { TipsterSecrets } from './constructs/tipster-secrets.ts';
import { WeeklyReports } from './constructs/weekly-reports.ts';
import { handlersDir, processPhotoEntry } from './paths.ts';
import { UserDirectoryGrants } from './user-directory-grants.ts';

export interface QinglingStackProps extends StackProps, Omit<DeploymentConfig, 'profile'> {
  /** What the regions offer; `global` when not given. */
  profile?: Profile;
  /** The built web app to upload: web/build, or a small fixture folder in tests. */
  siteAssetPath: string;
  /** Where route handlers live; defaults to functions/src/handlers. */
  handlersDir?: string;
  /** The route table; defaults to shared/src/api/routes.ts. */
  routes?: readonly RouteDefinition[];
  /** The photo processor's handler; defaults to functions/src/events/process-photo.ts. */
  processPhotoEntry?: string;
  /** Where the lifecycle's task handlers live; defaults to functions/src/workflow. */
  workflowHandlersDir?: string;
  /** Retention of Lambda and API access logs. */
  logRetention?: RetentionDays;
  /** Path of the web app's OAuth redirect (sign-in callback). */
  authCallbackPath?: string;
}

/** Where a site served from this origin receives the OAuth authorization code. */
export const defaultAuthCallbackPath = '/office/callback';

/** For a deployment without a public site URL yet (cdn 'none' and no siteUrl). */
const developmentOrigin = 'http://localhost:5173';

/**
 * Qingling on AWS: the record (DynamoDB), the evidence bucket and its photo processor, the
 * tipster secrets, officers' sign-in, the HTTP API built from the route table, and the
 * static web app with one origin for site and API.
 */
export class QinglingStack extends Stack {
  readonly table: RecordsTable;
  readonly evidence: EvidenceBucket;
  readonly secrets: TipsterSecrets;
  readonly photoProcessor: PhotoProcessor;
  readonly lifecycle: HazardLifecycle;
  readonly notificationDelivery: NotificationDelivery;
  readonly chainHeads: ChainHeadsPublication;
  readonly weeklyReports: WeeklyReports;
  readonly retentionSweep: RetentionSweep;
  readonly orphanUploadSweep: OrphanUploadSweep;
  readonly ledgerExports: LedgerExports;
  /** The user pool's grants to the users-and-roles handlers, bound once the pool exists. */
  readonly userDirectory = new UserDirectoryGrants();
  readonly auth: OfficerAuth;
  readonly api: QinglingHttpApi;
  readonly site: StaticSite;
  readonly seed: DataSeed;
  /** Only with CloudFront: the header that tells its requests from direct ones. */
  readonly originVerification?: OriginVerification;

  constructor(scope: Construct, id: string, props: QinglingStackProps) {
    super(scope, id, {
      description: 'Qingling (清零): anonymous safety-hazard tips driven to closure',
      ...props,
    });
    checkProfile({ ...props, profile: props.profile ?? 'global' });
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.table = new RecordsTable(this, 'Records');
    this.evidence = new EvidenceBucket(this, 'Evidence');
    this.secrets = new TipsterSecrets(this, 'TipsterSecrets');
    this.photoProcessor = new PhotoProcessor(this, 'PhotoProcessor', {
      entry: props.processPhotoEntry ?? processPhotoEntry,
      evidence: this.evidence,
      table: this.table,
      codeVersion: props.codeVersion,
      logRetention,
    });

    this.lifecycle = new HazardLifecycle(this, 'Lifecycle', {
      table: this.table,
      codeVersion: props.codeVersion,
      logRetention,
      ...(props.workflowHandlersDir ? { handlersDir: props.workflowHandlersDir } : {}),
    });

    this.notificationDelivery = new NotificationDelivery(this, 'NotificationDelivery', {
      table: this.table,
      // The claim reminder's recipient, a tip's sealed phone, is opened as it is sent.
      secrets: this.secrets,
      notifications: this.lifecycle.notifications,
      alarmTopic: this.lifecycle.alarmTopic,
      codeVersion: props.codeVersion,
      logRetention,
      ...(props.contactDirectoryJson ? { contactDirectoryJson: props.contactDirectoryJson } : {}),
      ...(props.notifyFromAddress ? { fromAddress: props.notifyFromAddress } : {}),
      // SNS sends no SMS in the China regions: an HTTP provider there, or none.
      sms: props.smsProviderUrl
        ? { via: 'http', url: props.smsProviderUrl }
        : { via: props.profile === 'china' ? 'none' : 'sns' },
    });

    this.chainHeads = new ChainHeadsPublication(this, 'ChainHeads', {
      table: this.table,
      codeVersion: props.codeVersion,
      logRetention,
      alarmTopic: this.lifecycle.alarmTopic,
    });

    this.ledgerExports = new LedgerExports(this, 'LedgerExports', {
      table: this.table,
      evidence: this.evidence,
      codeVersion: props.codeVersion,
      logRetention,
    });

    if (props.cdn === 'cloudfront') {
      this.originVerification = new OriginVerification(this, 'OriginVerification', {
        ...(props.originSecretVersion ? { secretVersion: props.originSecretVersion } : {}),
      });
    }

    // The sign-in client needs the site's URL, the CDN needs the API's domain, and the
    // routes need the sign-in client: API and functions, site, auth, then the routes.
    this.api = new QinglingHttpApi(this, 'Http', {
      routes: props.routes ?? routes,
      handlersDir: props.handlersDir ?? handlersDir,
      table: this.table,
      resources: {
        evidence: this.evidence,
        secrets: this.secrets,
        lifecycle: this.lifecycle,
        ledgerExports: this.ledgerExports,
        userDirectory: this.userDirectory,
      },
      codeVersion: props.codeVersion,
      throttle: props.throttle,
      receiptRouteThrottle: props.receiptRouteThrottle,
      logRetention,
      // Same origin through CloudFront; a site served elsewhere calls the API cross-origin.
      ...(props.cdn === 'none' && props.siteUrl ? { corsOrigins: [props.siteUrl] } : {}),
      ...(this.originVerification ? { originVerification: this.originVerification } : {}),
    });
    this.site = new StaticSite(this, 'Site', {
      assetPath: props.siteAssetPath,
      cdn: props.cdn,
      apiDomainName: this.api.domainName,
      logRetention,
      ...(props.domain ? { domain: props.domain } : {}),
      ...(props.webAclArn ? { webAclArn: props.webAclArn } : {}),
      ...(this.originVerification
        ? {
            apiOriginHeaders: {
              [this.originVerification.header]: this.originVerification.headerValue,
            },
          }
        : {}),
    });
    const siteUrl = props.siteUrl ?? this.site.url ?? developmentOrigin;

    // Its message links to the statistics page on the site.
    this.weeklyReports = new WeeklyReports(this, 'WeeklyReports', {
      table: this.table,
      notifications: this.lifecycle.notifications,
      notificationsKey: this.lifecycle.key,
      codeVersion: props.codeVersion,
      logRetention,
      alarmTopic: this.lifecycle.alarmTopic,
      siteUrl,
    });

    this.retentionSweep = new RetentionSweep(this, 'RetentionSweep', {
      table: this.table,
      codeVersion: props.codeVersion,
      logRetention,
      alarmTopic: this.lifecycle.alarmTopic,
    });

    this.orphanUploadSweep = new OrphanUploadSweep(this, 'OrphanUploadSweep', {
      table: this.table,
      evidence: this.evidence,
      codeVersion: props.codeVersion,
      logRetention,
      alarmTopic: this.lifecycle.alarmTopic,
    });

    const callbackPath = props.authCallbackPath ?? defaultAuthCallbackPath;
    this.auth = new OfficerAuth(this, 'Auth', {
      config: props.auth,
      callbackUrls: [`${siteUrl}${callbackPath}`],
      logoutUrls: [`${siteUrl}/`],
      logRetention,
    });
    this.api.addRoutes({ issuer: this.auth.issuer, audience: this.auth.audience });
    this.userDirectory.bind(this.auth.userPool);

    this.subscribeOperator();

    this.seed = new DataSeed(this, 'Seed', {
      table: this.table,
      codeVersion: props.codeVersion,
      logRetention,
      ...(this.auth.userPool ? { userPool: this.auth.userPool } : {}),
    });

    this.evidence.allowUploadsFrom([siteUrl]);
    this.letEscalateSignLinks(siteUrl);
    this.site.deploy({ authority: this.auth.issuer, clientId: this.auth.clientId });

    new CfnOutput(this, 'SiteUrl', { value: siteUrl });
    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.evidence.bucket.bucketName });
    new CfnOutput(this, 'SiteBucketName', { value: this.site.bucket.bucketName });
    new CfnOutput(this, 'LifecycleStateMachineArn', {
      value: this.lifecycle.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'NotificationsTopicArn', { value: this.lifecycle.notifications.topicArn });
    new CfnOutput(this, 'LifecycleDeadLetterQueueUrl', {
      value: this.lifecycle.deadLetters.queueUrl,
    });
    new CfnOutput(this, 'OidcIssuer', { value: this.auth.issuer });
    new CfnOutput(this, 'OidcClientId', { value: this.auth.clientId });
    if (this.auth.userPool) {
      new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    }
    if (this.originVerification) {
      new CfnOutput(this, 'OriginVerifySecretArn', {
        value: this.originVerification.secret.secretArn,
      });
    }
    if (this.notificationDelivery.smsProviderSecret) {
      new CfnOutput(this, 'SmsProviderSecretArn', {
        value: this.notificationDelivery.smsProviderSecret.secretArn,
      });
    }
  }

  /**
   * Every alarm (failed lifecycles, undeliverable notifications, unpublished chain heads,
   * a waiting dead letter) goes to the alarm topic; the deploy parameter OperatorEmail
   * subscribes the operator to it (AWS e-mails a confirmation link first).
   */
  /**
   * Issue 14: the lifecycle's Escalate task texts each round's enterprise link and signs a
   * fresh one into the enterprise's escalation messages. It reads the receipt secret the
   * link key is derived from (GetSecretValue on that secret alone; no other task does) and
   * writes the site's address into the links. Plan, which holds no key, is told that links
   * are texted, so that it hands a hazard with one to send to Escalate.
   */
  private letEscalateSignLinks(siteUrl: string): void {
    const { Escalate: escalate, Plan: plan } = this.lifecycle.functions;
    for (const task of [plan, escalate]) {
      task.function.addEnvironment('ENTERPRISE_LINKS_BY_SMS', '1');
    }
    this.secrets.grantReadReceiptKey(escalate.role);
    escalate.function.addEnvironment('RECEIPT_KEY_SECRET_ARN', this.secrets.receiptKey.secretArn);
    escalate.function.addEnvironment('SITE_URL', siteUrl);
  }

  private subscribeOperator(): void {
    const email = new CfnParameter(this, 'OperatorEmail', {
      type: 'String',
      default: '',
      description:
        'E-mail address that receives every alarm (confirm the subscription); empty for none.',
      allowedPattern: '^$|^[^@\\s]+@[^@\\s]+$',
    });
    const given = new CfnCondition(this, 'OperatorEmailGiven', {
      expression: Fn.conditionNot(Fn.conditionEquals(email.valueAsString, '')),
    });
    const subscription = new CfnSubscription(this, 'OperatorAlarmSubscription', {
      topicArn: this.lifecycle.alarmTopic.topicArn,
      protocol: 'email',
      endpoint: email.valueAsString,
    });
    subscription.cfnOptions.condition = given;
  }
}
