/**
 * PublicDistribution: the public origin listeners and podcast apps reach, a CloudFront
 * distribution in front of the two private buckets, serving what `npm run serve`'s origin serves
 * (local-platform/origin/) and nothing else:
 *
 * - `podcasts/<id>/feed.xml` -> the RSS bucket, cached 60 s at the edge and compressed (gzip,
 *   brotli). No invalidation is needed after a feed write: the new feed is out within a minute;
 * - `podcasts/<id>/...` -> the media bucket (episode.mp3, notes, chapters, transcript, covers),
 *   not compressed (MP3 and PNG do not shrink); byte-range requests pass through to S3 (206
 *   responses). Media are immutable: an episode's files live under a version folder derived from
 *   their bytes (`episodes/<episodeId>/<version>/`) and the show cover under a content-hashed key,
 *   stored with `Cache-Control: public, max-age=31536000, immutable`, so the edge keeps them up to
 *   a year (the policy's max TTL) and never needs an invalidation; an object without a
 *   Cache-Control (episode files from before versioned keys) is cached a day;
 * - everything else (the default behaviour: `/`, `runs/...`, any other key): a CloudFront
 *   Function answers 404 at the edge before any origin is asked. Behind it, both bucket policies
 *   deny CloudFront every key outside `podcasts/`, so even a misrouted behaviour cannot read a
 *   run's scratch files.
 *
 * Defaults: Origin Access Control (read only; the L2's bucket-policy grant is limited to this
 * distribution by AWS:SourceArn), the buckets stay private (BlockPublicAccess unchanged),
 * GET/HEAD only, HTTPS (HTTP is redirected), HTTP/2 and HTTP/3, IPv6, PriceClass_100, response
 * headers for web players (CORS GET/HEAD from any origin, exposing the range headers), nosniff
 * and HSTS, `Cache-Control: public, max-age=60` on feeds that carry none, and standard access
 * logs to a log bucket of its own (CloudFront's standard logging writes with an ACL grant, which
 * the pipeline buckets turn off). With a custom domain: the alias, the ACM certificate (us-east-1),
 * SNI and TLSv1.2_2021 at least.
 */
import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../stages/shared/env';
import type { DataConsumer } from './data-bindings';

/** The key prefix every public object lives under (stages/shared/public-urls.ts podcastPrefix). */
export const PUBLIC_PREFIX = 'podcasts/';

/** The behaviours' path patterns, most specific first (CloudFront matches them in order). */
export const PUBLIC_PATHS = { feed: 'podcasts/*/feed.xml', media: 'podcasts/*' } as const;

/** Edge cache lifetimes; the same values `npm run serve`'s origin sends as Cache-Control. */
export const PUBLIC_CACHE_TTL = {
  /** A feed write is visible within this time with no invalidation. */
  feed: Duration.seconds(60),
  /**
   * Media default (when the object sends no Cache-Control); up to `mediaMax` when it does, as the
   * immutable episode files and show covers do (a year: stages/shared/cache-control.ts).
   */
  media: Duration.days(1),
  mediaMax: Duration.days(365),
} as const;

/** The response headers web players may read (CORS), as the local origin exposes them. */
export const CORS_EXPOSE_HEADERS: readonly string[] = [
  'Accept-Ranges',
  'Content-Length',
  'Content-Range',
  'Content-Encoding',
  'ETag',
];

export interface PublicDistributionProps {
  /** The media bucket: episodes and covers under `podcasts/`, run scratch under `runs/`. */
  readonly mediaBucket: s3.IBucket;
  /** The RSS bucket: `podcasts/<id>/feed.xml`. */
  readonly rssBucket: s3.IBucket;
  /** Where the CloudFront log bucket's own S3 server access logs go (cdk-nag S1). */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * A custom host name for the origin and its ACM certificate (must be in us-east-1).
   * @default - none: the origin is https://<id>.cloudfront.net
   */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
  /** @default cloudfront.PriceClass.PRICE_CLASS_100 (North America, Europe, Israel) */
  readonly priceClass?: cloudfront.PriceClass;
  /** Days CloudFront access logs are kept. @default 365 */
  readonly logsExpirationDays?: number;
  /** RETAIN keeps the log bucket on stack deletion; DESTROY empties and deletes it. @default RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

// Viewer-request on the default behaviour: nothing outside a podcast's public prefix exists.
const NOT_FOUND_CODE = `function handler(event) {
  return { statusCode: 404, statusDescription: 'Not Found', headers: { 'cache-control': { value: 'no-store' } } };
}`;

export class PublicDistribution extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** `https://<custom domain>` or `https://<id>.cloudfront.net`, without a trailing slash. */
  readonly originUrl: string;
  readonly logBucket: s3.Bucket;
  readonly certificate?: acm.ICertificate;

  constructor(scope: Construct, id: string, props: PublicDistributionProps) {
    super(scope, id);
    const logDays = props.logsExpirationDays ?? 365;
    if (!Number.isInteger(logDays) || logDays < 1)
      throw new Error(
        `PublicDistribution: logsExpirationDays must be a whole number of days >= 1 (got ${logDays})`
      );
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Server access logs of the log bucket through a bucket policy, as PipelineBuckets does.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logging writes with the awslogsdelivery account's ACL grant.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'cloudfront-logs/',
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
      lifecycleRules: [{ id: 'expire-cloudfront-logs', expiration: Duration.days(logDays) }],
    });

    // One OAC for both origins (read only); its name, like the policies', is unique per account.
    const originAccessControl = new cloudfront.S3OriginAccessControl(this, 'OriginAccessControl', {
      originAccessControlName: accountUniqueName(this, 'Oac', 64),
      description: 'podcast-platform public origin: signed, read-only requests to the media and RSS buckets',
      signing: cloudfront.Signing.SIGV4_ALWAYS,
    });
    const oac = { originAccessControl, originAccessLevels: [cloudfront.AccessLevel.READ] };
    const mediaOrigin = origins.S3BucketOrigin.withOriginAccessControl(props.mediaBucket, oac);
    const rssOrigin = origins.S3BucketOrigin.withOriginAccessControl(props.rssBucket, oac);
    const common = {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD,
    };

    if (props.customDomain)
      this.certificate = acm.Certificate.fromCertificateArn(
        this,
        'Certificate',
        props.customDomain.certificateArn
      );
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'podcast-platform public origin: feeds and published media',
      defaultBehavior: {
        ...common,
        origin: mediaOrigin,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'NotFoundFunction', {
              code: cloudfront.FunctionCode.fromInline(NOT_FOUND_CODE),
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              comment: 'Answers 404 for anything outside podcasts/',
            }),
          },
        ],
      },
      additionalBehaviors: {
        [PUBLIC_PATHS.feed]: {
          ...common,
          origin: rssOrigin,
          compress: true,
          cachePolicy: this.cachePolicy(
            'FeedCachePolicy',
            PUBLIC_CACHE_TTL.feed,
            PUBLIC_CACHE_TTL.feed,
            true
          ),
          responseHeadersPolicy: this.headersPolicy('FeedHeadersPolicy', PUBLIC_CACHE_TTL.feed),
        },
        [PUBLIC_PATHS.media]: {
          ...common,
          origin: mediaOrigin,
          compress: false,
          cachePolicy: this.cachePolicy(
            'MediaCachePolicy',
            PUBLIC_CACHE_TTL.media,
            PUBLIC_CACHE_TTL.mediaMax,
            false
          ),
          // No Cache-Control added here: the policy would put it on 403s for missing keys too.
          responseHeadersPolicy: this.headersPolicy('MediaHeadersPolicy'),
        },
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      ...(props.customDomain && this.certificate
        ? {
            domainNames: [props.customDomain.domainName],
            certificate: this.certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            sslSupportMethod: cloudfront.SSLMethod.SNI,
          }
        : {}),
    });

    // Defence in depth: whatever a behaviour routes, CloudFront reads nothing outside podcasts/.
    denyOutsidePublicPrefix(props.mediaBucket);
    denyOutsidePublicPrefix(props.rssBucket);

    this.originUrl = `https://${props.customDomain?.domainName ?? this.distribution.distributionDomainName}`;
  }

  /** Sets PUBLIC_ORIGIN_URL (publicBaseUrl's default is `<origin>/podcasts/<id>`); nothing to grant. */
  bind(consumer: DataConsumer): void {
    consumer.addEnvironment(ENV.publicOrigin, this.originUrl);
  }

  private cachePolicy(id: string, ttl: Duration, maxTtl: Duration, compressed: boolean) {
    return new cloudfront.CachePolicy(this, id, {
      comment: `podcast-platform public ${id === 'FeedCachePolicy' ? 'feeds' : 'media'}`,
      minTtl: Duration.seconds(0),
      defaultTtl: ttl,
      maxTtl,
      // The path is the whole key: S3 ignores query strings, cookies and headers here.
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: compressed,
      enableAcceptEncodingBrotli: compressed,
    });
  }

  /** CORS, nosniff, HSTS; with `maxAge`, a Cache-Control for responses whose object has none. */
  private headersPolicy(id: string, maxAge?: Duration) {
    return new cloudfront.ResponseHeadersPolicy(this, id, {
      responseHeadersPolicyName: accountUniqueName(this, id, 128),
      comment: 'podcast-platform public origin: CORS for web players, nosniff, HSTS',
      corsBehavior: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: ['Range'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowOrigins: ['*'],
        accessControlExposeHeaders: [...CORS_EXPOSE_HEADERS],
        originOverride: true,
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), override: true },
      },
      ...(maxAge
        ? {
            customHeadersBehavior: {
              customHeaders: [
                { header: 'Cache-Control', value: `public, max-age=${maxAge.toSeconds()}`, override: false },
              ],
            },
          }
        : {}),
    });
  }
}

/**
 * CloudFront policy and OAC names are unique per account, not per region: the construct's unique
 * name (shortened to leave room) plus the stack's region, as CDK names cache policies.
 */
function accountUniqueName(scope: Construct, suffix: string, maxLength: number): string {
  const regionRoom = 15; // "-" and the longest region name (14 characters)
  const base = Names.uniqueResourceName(scope, { maxLength: maxLength - regionRoom - suffix.length });
  return `${base}${suffix}-${Stack.of(scope).region}`;
}

function denyOutsidePublicPrefix(bucket: s3.IBucket): void {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudFrontReadsOnlyPublicPrefix',
      effect: iam.Effect.DENY,
      principals: [new iam.ServicePrincipal('cloudfront.amazonaws.com')],
      actions: ['s3:*'],
      notResources: [bucket.arnForObjects(`${PUBLIC_PREFIX}*`)],
    })
  );
}
