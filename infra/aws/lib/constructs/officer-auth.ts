import { Aws, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AuthConfig } from '../config.ts';
import { preTokenGenerationEntry } from '../paths.ts';
import { NodeFunction } from './node-function.ts';

export interface OfficerAuthProps {
  config: AuthConfig;
  /** Where the web app receives the authorization code, e.g. https://site/office/callback. */
  callbackUrls: readonly string[];
  logoutUrls: readonly string[];
  logRetention: RetentionDays;
}

/** The custom attributes an administrator sets on an officer; see pre-token-generation.ts. */
const customAttributes = ['roles', 'jurisdictions', 'department', 'industries'] as const;

/**
 * Who signs officers' tokens. By default a Cognito user pool (no self sign-up, TOTP MFA
 * required) whose pre-token-generation trigger puts Qingling's role and jurisdiction
 * claims into the tokens; or, by configuration, any OIDC issuer, and then no Cognito.
 * Tipsters never sign in: public routes need no token.
 */
export class OfficerAuth extends Construct {
  /** The issuer URL: the JWT authorizer's issuer and the web app's OIDC authority. */
  readonly issuer: string;
  /** Accepted `aud` (or, for Cognito access tokens, `client_id`) values. */
  readonly audience: readonly string[];
  /** The OIDC client the web app signs in with. */
  readonly clientId: string;
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;
  /** The Cognito managed login page's base URL, when Cognito is used. */
  readonly loginBaseUrl?: string;

  constructor(scope: Construct, id: string, props: OfficerAuthProps) {
    super(scope, id);
    if (props.config.kind === 'oidc') {
      const [clientId] = props.config.audience;
      if (!clientId) throw new Error('An OIDC issuer needs at least one audience (client id)');
      this.issuer = props.config.issuer;
      this.audience = props.config.audience;
      this.clientId = clientId;
      return;
    }

    const userPool = new UserPool(this, 'UserPool', {
      featurePlan: FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: {
        email: { required: false, mutable: true },
        fullname: { required: false, mutable: true },
      },
      customAttributes: Object.fromEntries(
        customAttributes.map((name) => [
          name,
          new StringAttribute({ mutable: true, maxLen: 2048 }),
        ]),
      ),
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const trigger = new NodeFunction(this, 'PreTokenGeneration', {
      entry: preTokenGenerationEntry,
      description: 'Cognito pre-token generation: Qingling role and jurisdiction claims',
      logRetention: props.logRetention,
      memorySize: 128,
      timeout: Duration.seconds(5),
    });
    // Cognito takes an alias ARN for a trigger (not a version's): the pool and its invoke
    // permission name `live`.
    userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      trigger.alias,
      LambdaVersion.V2_0,
    );
    trigger.invokedBy(userPool);

    const client = userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...props.callbackUrls],
        logoutUrls: [...props.logoutUrls],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes(...customAttributes),
      // Roles and jurisdictions are set by administrators only: never writable by the user.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        email: true,
        fullname: true,
      }),
    });

    // A managed-login domain prefix must be unique in the region: take the stack's UUID.
    const domain = userPool.addDomain('Domain', {
      cognitoDomain: {
        domainPrefix: Fn.join('-', ['qingling', Fn.select(2, Fn.split('/', Aws.STACK_ID))]),
      },
    });

    this.userPool = userPool;
    this.client = client;
    // Partition-neutral (amazonaws.com.cn in China): CDK's HttpUserPoolAuthorizer is not.
    const stack = Stack.of(this);
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${userPool.userPoolId}`;
    this.audience = [client.userPoolClientId];
    this.clientId = client.userPoolClientId;
    this.loginBaseUrl = domain.baseUrl();

    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Officers only (tipsters never sign in), TOTP MFA required and a strong password ' +
        'policy: the Essentials plan is enough; the Plus plan is an operator choice.',
    });
  }
}
