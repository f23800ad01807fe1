import { join } from 'node:path';
import type { IndexName, RouteDefinition, TableAccess } from '@qingling/shared/api/routes.ts';
import { Duration, NestedStack, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { accessLogFormat } from '../access-log-format.ts';
import type { Throttle } from '../config.ts';
import { type RouteGroup, routeGroupOf } from '../route-groups.ts';
import { type RouteResources, resourceAccess, usedResources } from '../route-resources.ts';
import { NodeFunction } from './node-function.ts';
import type { OriginVerification } from './origin-verification.ts';
import type { RecordsTable } from './records-table.ts';

export interface QinglingHttpApiProps {
  /** The route table (shared/src/api/routes.ts): one Lambda per handler, one route each. */
  routes: readonly RouteDefinition[];
  /** Folder holding `<route.handler>.ts` for every route. */
  handlersDir: string;
  table: RecordsTable;
  /** What routes may name in `uses`: each handler gets exactly what its routes list. */
  resources: RouteResources;
  codeVersion: string;
  /** The default stage's limits, for all routes together. */
  throttle: Throttle;
  /**
   * Tighter limits for each public route that takes or mints receipts (uses receiptKey):
   * where guessing receipts and flooding the intake are worth something.
   */
  receiptRouteThrottle: Throttle;
  logRetention: RetentionDays;
  /** Browser origins allowed to call the API directly (only when the site has its own). */
  corsOrigins?: readonly string[];
  /**
   * With CloudFront in front: the header every handler requires before any work, so that
   * the API's own endpoint answers nothing past the web ACL.
   */
  originVerification?: OriginVerification;
}

/** The partitions of the table and its indexes all of a handler's routes declare, together. */
function tableAccessOf(served: readonly RouteDefinition[]): TableAccess {
  const indexes: Partial<Record<IndexName, string[]>> = {};
  for (const route of served) {
    for (const [index, keys] of Object.entries(route.table.indexes ?? {})) {
      indexes[index as IndexName] = [...(indexes[index as IndexName] ?? []), ...(keys ?? [])];
    }
  }
  return {
    read: served.flatMap((route) => route.table.read),
    write: served.flatMap((route) => route.table.write ?? []),
    indexes,
  };
}

/** RECORD_REPAIRS: the stream patterns the function may write ('' none). */
function repairsOf(served: readonly RouteDefinition[]): string {
  return (tableAccessOf(served).write ?? []).join(',');
}

/**
 * Handlers that need more than a function's default (256 MB, 10 s). The ledger export's
 * files are written by its own worker (constructs/ledger-exports.ts); its route still
 * answers a ledger's rows as JSON (up to Lambda's 6 MB answer), read page by page, which
 * may take longer than 10 s; API Gateway waits for an answer at most 30 s.
 */
export const handlerSizes: Record<string, { memorySize: number; timeout: Duration }> = {
  'export-hazard-ledger': { memorySize: 1024, timeout: Duration.seconds(29) },
};

const pascal = (name: string) =>
  name.replace(/(^|[-_/])([a-z0-9])/g, (_match, _separator, letter: string) =>
    letter.toUpperCase(),
  );

/** The JWT issuer and accepted audiences for routes that need a signed-in person. */
export interface JwtSettings {
  issuer: string;
  audience: readonly string[];
}

/**
 * The HTTP API built from the route table: public routes open to anyone (tip intake,
 * follow-up), the rest behind a JWT authorizer, then the handler checks roles. Each
 * handler's role gets the table partitions its routes declare plus exactly the resources
 * its routes list in `uses`. The default stage is throttled (tighter for the receipt
 * routes) and its access log carries nothing that identifies a caller. These limits count all callers together: limits per
 * client belong to the CloudFront web ACL (README), which keeps no identity either.
 *
 * Built in two steps because the sign-in client needs the site's URL, the site's CDN
 * needs the API's domain, and the routes need the sign-in client: the API and its
 * functions first, then `addRoutes` once the issuer is known.
 */
export class QinglingHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: ReadonlyMap<string, NodeFunction>;
  /** The API's host name (no scheme), e.g. for a CloudFront origin. */
  readonly domainName: string;
  private readonly routes: readonly RouteDefinition[];
  private readonly receiptRouteThrottle: Throttle;
  private readonly integrations = new Map<string, HttpLambdaIntegration>();
  /** Each handler's nested stack: its function and its routes are built there. */
  private readonly groupOfHandler = new Map<string, NestedStack>();
  private readonly groups = new Map<RouteGroup, NestedStack>();

  constructor(scope: Construct, id: string, props: QinglingHttpApiProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.routes = props.routes;
    this.receiptRouteThrottle = props.receiptRouteThrottle;
    this.api = new HttpApi(this, 'Api', {
      description: 'Qingling API',
      createDefaultStage: false,
      ...(props.corsOrigins?.length
        ? {
            corsPreflight: {
              allowOrigins: [...props.corsOrigins],
              allowMethods: [CorsHttpMethod.ANY],
              allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(accessLogFormat()),
      },
    });
    // The default endpoint stays enabled: it is CloudFront's origin for /api/*, and
    // disabling it would answer 403 there. What reaches it without CloudFront's origin
    // header is refused by the handlers (infra/aws/README.md, "The API answers only
    // CloudFront").
    this.domainName = `${this.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;

    const functions = new Map<string, NodeFunction>();
    for (const handler of new Set(props.routes.map((route) => route.handler))) {
      const served = props.routes.filter((route) => route.handler === handler);
      const uses = usedResources(served);
      const group = this.groupStack(routeGroupOf(served));
      this.groupOfHandler.set(handler, group);
      const fn = new NodeFunction(group, `${pascal(handler)}Handler`, {
        entry: join(props.handlersDir, `${handler}.ts`),
        description: `Qingling API: ${served.map((route) => `${route.method} ${route.path}`).join(', ')}`,
        logRetention: props.logRetention,
        ...handlerSizes[handler],
        environment: {
          TABLE_NAME: props.table.table.tableName,
          // Where a read that finds the state behind its log may write the repair.
          RECORD_REPAIRS: repairsOf(served),
          CODE_VERSION: props.codeVersion,
          POWERTOOLS_SERVICE_NAME: 'qingling',
          ...(props.originVerification
            ? {
                ORIGIN_VERIFY_SECRET_ARN: props.originVerification.secret.secretArn,
                ORIGIN_VERIFY_HEADER: props.originVerification.header,
              }
            : {}),
          ...Object.fromEntries(
            uses.flatMap((resource) =>
              Object.entries(resourceAccess[resource].environment(props.resources)),
            ),
          ),
        },
      });
      for (const resource of uses) {
        resourceAccess[resource].grant(props.resources, fn.role, fn.function);
      }
      props.originVerification?.grantRead(fn.role);
      // Every route names the partitions (and index partitions) it touches: an anonymous
      // caller's function reaches nothing of the office, an office function only its work.
      props.table.grantPartitions(fn.function, tableAccessOf(served));
      functions.set(handler, fn);
      // The alias: API Gateway invokes `live`, and its permission is on the alias.
      this.integrations.set(
        handler,
        new HttpLambdaIntegration(`${pascal(handler)}Integration`, fn.alias),
      );
    }
    this.functions = functions;
  }

  /**
   * The nested stack of a route group (infra/aws/lib/route-groups.ts), made on first use:
   * the API's handlers and routes live there, so that no template nears CloudFormation's
   * 500 resources. Each handler keeps its own role.
   */
  private groupStack(name: RouteGroup): NestedStack {
    const existing = this.groups.get(name);
    if (existing) return existing;
    const created = new NestedStack(this, name, {
      description: `Qingling API: the ${name} handlers and their routes`,
    });
    this.groups.set(name, created);
    return created;
  }

  /**
   * One route per entry of the route table; those not public need a valid JWT. Public
   * routes that use the receipt key get their own throttling on the default stage.
   */
  addRoutes(jwt: JwtSettings): void {
    const jwtAuthorizer = new HttpJwtAuthorizer('OfficerJwt', jwt.issuer, {
      jwtAudience: [...jwt.audience],
      identitySource: ['$request.header.Authorization'],
    });
    const routeSettings: Record<string, object> = {};
    for (const route of this.routes) {
      const isPublic = route.access.kind === 'public';
      const integration = this.integrations.get(route.handler);
      if (!integration) throw new Error(`No integration for handler ${route.handler}`);
      const group = this.groupOfHandler.get(route.handler);
      if (!group) throw new Error(`No nested stack for handler ${route.handler}`);
      const httpRoute = new HttpRoute(group, `Route${pascal(route.operationId)}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration,
        authorizer: isPublic ? new HttpNoneAuthorizer() : jwtAuthorizer,
      });
      // The route, its integration and the invoke permission name the alias by ARN.
      this.functions.get(route.handler)?.invokedBy(httpRoute);
      if (isPublic) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} is public by design (access.kind 'public' in the route table): tipsters report and follow up anonymously, without an account.`,
        });
      }
      if (isPublic && route.uses?.includes('receiptKey')) {
        routeSettings[`${route.method} ${route.path}`] = {
          ThrottlingRateLimit: this.receiptRouteThrottle.rateLimit,
          ThrottlingBurstLimit: this.receiptRouteThrottle.burstLimit,
        };
        // A stage may only name routes that exist already.
        this.stage.node.addDependency(httpRoute);
      }
    }
    if (Object.keys(routeSettings).length) {
      (this.stage.node.defaultChild as CfnStage).routeSettings = routeSettings;
    }
  }
}
