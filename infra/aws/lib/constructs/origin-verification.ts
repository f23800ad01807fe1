import { SecretValue, Validations } from 'aws-cdk-lib';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The origin custom header CloudFront adds to every /api/* request. */
export const originVerifyHeader = 'x-origin-verify';

export interface OriginVerificationProps {
  /**
   * The secret's version (its VersionId) CloudFront sends: set after a rotation, so that
   * the distribution's template changes and CloudFormation reads the secret again. Unset,
   * the header is the value current when the distribution was last updated.
   */
  secretVersion?: string;
}

/**
 * Proof that a request came through CloudFront (and so through its web ACL): a generated
 * secret that CloudFront sends as an origin header to the API, and that every API handler
 * checks before doing anything else (functions/src/http/origin-gate.ts). Only made when
 * CloudFront fronts the API; see infra/aws/README.md, "The API answers only CloudFront".
 */
export class OriginVerification extends Construct {
  readonly secret: Secret;
  readonly header = originVerifyHeader;
  /** The header's value in the distribution: a dynamic reference CloudFormation resolves. */
  readonly headerValue: string;

  constructor(scope: Construct, id: string, props: OriginVerificationProps = {}) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description:
        'Qingling: the header value CloudFront adds to /api/* requests; the API refuses ' +
        'requests without it (AWSCURRENT or AWSPREVIOUS)',
      generateSecretString: {
        passwordLength: 48,
        excludePunctuation: true,
        includeSpace: false,
        requireEachIncludedType: false,
      },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation is by hand and needs a redeploy: CloudFront holds the value in its origin ' +
        'configuration, which only a stack update changes (infra/aws/README.md describes the ' +
        'steps); a rotation Lambda could not update the distribution by itself.',
    });
    // {{resolve:secretsmanager:<arn>:SecretString:::<version id>}}: allowed in any property.
    this.headerValue = SecretValue.secretsManager(
      this.secret.secretArn,
      props.secretVersion ? { versionId: props.secretVersion } : {},
    ).unsafeUnwrap();
  }

  /** secretsmanager:GetSecretValue on this secret, nothing else. */
  grantRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [this.secret.secretArn],
    });
  }
}
