/**
 * The public origin (infra/constructs/public-distribution.ts): CloudFront with OAC in front of the
 * private buckets, serving `podcasts/<id>/feed.xml` from the RSS bucket and other `podcasts/...`
 * keys from the media bucket, and nothing else; PUBLIC_ORIGIN_URL on every compute that builds
 * deps; the optional custom domain from context.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEYS } from '../../infra/bin/app-settings';
import { acknowledgeNagFindings } from '../../infra/bin/nag-acknowledgments';
import { PipelineBuckets } from '../../infra/constructs/pipeline-buckets';
import {
  CORS_EXPOSE_HEADERS,
  PUBLIC_CACHE_TTL,
  PublicDistribution,
} from '../../infra/constructs/public-distribution';
import type { PodcastPlatformStack } from '../../infra/stacks/podcast-platform-stack';
import {
  FEED_CACHE_CONTROL,
  MEDIA_CACHE_CONTROL,
  commonHeaders,
} from '../../local-platform/origin/origin-headers';
import { resolveOriginPath } from '../../local-platform/origin/origin-path';
import { IMMUTABLE_CACHE_CONTROL } from '../../stages/shared/cache-control';
import { ENV } from '../../stages/shared/env';
import { realStack, registryStages } from './real-stack';
import { emptyStack, logicalIdOf, templateOf, testApp } from './stack-fixture';

type Behavior = Record<string, unknown> & {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: unknown;
  ResponseHeadersPolicyId?: { Ref: string };
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
};
type Origin = { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: unknown };
type DistributionConfig = Record<string, unknown> & {
  Origins: Origin[];
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
};
type Statement = Record<string, unknown> & { Effect: string; Principal?: unknown; Action: unknown };

const CUSTOM_DOMAIN = {
  [CONTEXT_KEYS.domainName]: 'podcasts.example.com',
  [CONTEXT_KEYS.certificateArn]:
    'arn:aws:acm:us-east-1:123456789012:certificate/0f2c5a1e-1b2c-4d3e-8f90-a1b2c3d4e5f6',
};

function distributionConfig(stack: PodcastPlatformStack, template: Template): DistributionConfig {
  const id = logicalIdOf(stack.publicOrigin.distribution);
  return template.toJSON().Resources[id].Properties.DistributionConfig as DistributionConfig;
}

/** The properties of the resource `ref` (`{ Ref: logicalId }`) names. */
function resource(template: Template, ref: unknown) {
  const id = (ref as { Ref: string }).Ref;
  return template.toJSON().Resources[id].Properties;
}

function bucketStatements(template: Template, bucketId: string): Statement[] {
  return Object.values(template.findResources('AWS::S3::BucketPolicy'))
    .filter((policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: bucketId }))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** CloudFront's path-pattern matching: case-sensitive, `*` any run of characters, `?` one. */
function matches(pattern: string, path: string): boolean {
  const body = pattern
    .replace(/^\//, '')
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^/?${body}$`).test(path);
}

/** The behaviour CloudFront picks for `path`: the first matching pattern, else the default. */
function behaviourFor(config: DistributionConfig, path: string): Behavior {
  return config.CacheBehaviors.find((b) => matches(b.PathPattern ?? '', path)) ?? config.DefaultCacheBehavior;
}

describe('PublicDistribution in the stack', () => {
  const stack = realStack();
  const template = templateOf(stack);
  const config = distributionConfig(stack, template);
  const distributionId = logicalIdOf(stack.publicOrigin.distribution);
  const mediaId = logicalIdOf(stack.buckets.media);
  const rssId = logicalIdOf(stack.buckets.rss);
  const originFor = (bucketId: string) =>
    config.Origins.find(
      (o) =>
        JSON.stringify(o.DomainName) === JSON.stringify({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] })
    );
  const originUrl = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };

  it('reaches the media and RSS buckets through one signed, read-only Origin Access Control', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const [oacId] = Object.keys(template.findResources('AWS::CloudFront::OriginAccessControl'));
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    expect(config.Origins).toHaveLength(2);
    for (const bucketId of [mediaId, rssId]) {
      expect(originFor(bucketId)).toMatchObject({
        OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      });
    }
  });

  it('routes podcasts/*/feed.xml to the RSS bucket, then podcasts/* to the media bucket', () => {
    expect(config.CacheBehaviors.map((b) => [b.PathPattern, b.TargetOriginId])).toEqual([
      ['podcasts/*/feed.xml', originFor(rssId)?.Id],
      ['podcasts/*', originFor(mediaId)?.Id],
    ]);
    expect(behaviourFor(config, '/podcasts/tech-weekly/feed.xml').TargetOriginId).toBe(originFor(rssId)?.Id);
    for (const file of ['episode.mp3', 'notes.html', 'chapters.json', 'transcript.vtt', 'cover.png'])
      for (const dir of ['episodes/2026-11-23/0123456789abcdef', 'episodes/2026-11-23'])
        expect(behaviourFor(config, `/podcasts/tech-weekly/${dir}/${file}`).PathPattern).toBe('podcasts/*');
    expect(behaviourFor(config, '/podcasts/tech-weekly/cover.png').PathPattern).toBe('podcasts/*');
  });

  it('answers every other path, runs/ scratch included, with a 404 from the edge', () => {
    // Prepare: the default behaviour's viewer-request function, run as CloudFront would.
    const defaults = config.DefaultCacheBehavior;
    expect(defaults.FunctionAssociations).toEqual([
      {
        EventType: 'viewer-request',
        FunctionARN: {
          'Fn::GetAtt': [logicalIdOf(stack.publicOrigin.node.findChild('NotFoundFunction')), 'FunctionARN'],
        },
      },
    ]);
    const fn = Object.values(template.findResources('AWS::CloudFront::Function'))[0]?.Properties;
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    const handler = new Function(`${fn.FunctionCode as string}; return handler;`)() as (event: unknown) => {
      statusCode?: number;
      uri?: string;
    };
    for (const path of [
      '/runs/run-1/tts/clip-001.wav',
      '/runs/run-1/prepare/output.json',
      '/',
      '/Podcasts/x/feed.xml',
    ]) {
      // Act
      const chosen = behaviourFor(config, path);
      // Assess: the default behaviour, whose function returns a response (no request goes on).
      expect([path, chosen.PathPattern]).toEqual([path, undefined]);
      expect(handler({ request: { method: 'GET', uri: path, headers: {} } })).toMatchObject({
        statusCode: 404,
      });
    }
  });

  it('lets CloudFront read only podcasts/ keys, and only for this distribution; nothing else is allowed to anyone', () => {
    const sourceArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':cloudfront::',
          { Ref: 'AWS::AccountId' },
          ':distribution/',
          { Ref: distributionId },
        ],
      ],
    };
    for (const bucketId of [mediaId, rssId]) {
      const statements = bucketStatements(template, bucketId);
      // The only Allow: s3:GetObject to the CloudFront service principal, conditioned on this distribution.
      expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([
        expect.objectContaining({
          Action: 's3:GetObject',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Condition: { StringEquals: { 'AWS:SourceArn': sourceArn } },
        }),
      ]);
      // And a Deny of everything outside podcasts/ to CloudFront, whichever behaviour asks.
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:*',
          NotResource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/podcasts/*']] },
        })
      );
    }
  });

  it('keeps the media, RSS and log buckets blocking all public access', () => {
    for (const bucket of [stack.buckets.media, stack.buckets.rss, stack.publicOrigin.logBucket]) {
      expect(
        template.toJSON().Resources[logicalIdOf(bucket)].Properties.PublicAccessBlockConfiguration
      ).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('caches feeds 60 s (compressed) and media a day by default (uncompressed), keyed on the path alone', () => {
    const [feed, media] = config.CacheBehaviors;
    const feedPolicy = resource(template, feed?.CachePolicyId).CachePolicyConfig;
    const mediaPolicy = resource(template, media?.CachePolicyId).CachePolicyConfig;
    expect([feedPolicy.MinTTL, feedPolicy.DefaultTTL, feedPolicy.MaxTTL]).toEqual([0, 60, 60]);
    expect([mediaPolicy.MinTTL, mediaPolicy.DefaultTTL, mediaPolicy.MaxTTL]).toEqual([0, 86400, 31536000]);
    expect(feed?.Compress).toBe(true);
    expect(feedPolicy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      EnableAcceptEncodingGzip: true,
      EnableAcceptEncodingBrotli: true,
    });
    expect(media?.Compress).toBe(false);
    for (const policy of [feedPolicy, mediaPolicy])
      expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
        QueryStringsConfig: { QueryStringBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        CookiesConfig: { CookieBehavior: 'none' },
      });
  });

  it('is HTTPS only, GET/HEAD, HTTP/2 and 3, IPv6 and PriceClass_100', () => {
    expect(config).toMatchObject({
      HttpVersion: 'http2and3',
      IPV6Enabled: true,
      PriceClass: 'PriceClass_100',
    });
    for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
      expect(behaviour).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        CachedMethods: ['GET', 'HEAD'],
      });
    }
  });

  it('sends CORS for web players, nosniff and HSTS on feeds and media, and Cache-Control on feeds', () => {
    for (const behaviour of config.CacheBehaviors) {
      const policy = resource(template, behaviour.ResponseHeadersPolicyId).ResponseHeadersPolicyConfig;
      expect(policy).toMatchObject({
        CorsConfig: {
          AccessControlAllowCredentials: false,
          AccessControlAllowMethods: { Items: ['GET', 'HEAD'] },
          AccessControlAllowOrigins: { Items: ['*'] },
          AccessControlExposeHeaders: { Items: [...CORS_EXPOSE_HEADERS] },
          OriginOverride: true,
        },
        SecurityHeadersConfig: {
          ContentTypeOptions: { Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000 },
        },
      });
    }
    const [feed, media] = config.CacheBehaviors.map(
      (b) => resource(template, b.ResponseHeadersPolicyId).ResponseHeadersPolicyConfig
    );
    expect(feed.CustomHeadersConfig).toEqual({
      Items: [{ Header: 'Cache-Control', Value: 'public, max-age=60', Override: false }],
    });
    // Media gets none: the policy would put a day's Cache-Control on a 403 for a missing key too.
    expect(media.CustomHeadersConfig).toBeUndefined();
  });

  it("matches what `npm run serve`'s origin serves: the same buckets per path, lifetimes and CORS headers", () => {
    const bucketOf = (b: Behavior) =>
      b.PathPattern === undefined ? undefined : b.TargetOriginId === originFor(rssId)?.Id ? 'rss' : 'media';
    for (const path of [
      '/podcasts/tech-weekly/feed.xml',
      '/podcasts/tech-weekly/cover.png',
      '/podcasts/tech-weekly/episodes/2026-11-23/0123456789abcdef/episode.mp3',
      '/podcasts/tech-weekly/episodes/2026-11-23/0123456789abcdef/transcript.vtt',
      '/podcasts/tech-weekly/episodes/2026-11-23/episode.mp3',
      '/runs/run-1/tts/clip-001.wav',
      '/',
    ]) {
      const local = resolveOriginPath(path, '');
      expect([path, bucketOf(behaviourFor(config, path))]).toEqual([
        path,
        local.ok ? local.target.bucket : undefined,
      ]);
    }
    expect(FEED_CACHE_CONTROL).toBe(`public, max-age=${PUBLIC_CACHE_TTL.feed.toSeconds()}`);
    expect(MEDIA_CACHE_CONTROL).toBe(`public, max-age=${PUBLIC_CACHE_TTL.media.toSeconds()}`);
    // What publish and the artwork stage store with immutable media: the edge keeps it its max TTL.
    expect(IMMUTABLE_CACHE_CONTROL).toBe(
      `public, max-age=${PUBLIC_CACHE_TTL.mediaMax.toSeconds()}, immutable`
    );
    expect(commonHeaders()['Access-Control-Expose-Headers']).toBe(CORS_EXPOSE_HEADERS.join(', '));
    expect(commonHeaders()['X-Content-Type-Options']).toBe('nosniff');
  });

  it('writes standard access logs to its own log bucket, whose server access logs go to the access-log bucket', () => {
    const logBucketId = logicalIdOf(stack.publicOrigin.logBucket);
    expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] } });
    expect(template.toJSON().Resources[logBucketId]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        // CloudFront standard logging writes through an ACL grant: ACLs on, bucket owner owns the logs.
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalIdOf(stack.buckets.accessLogs) },
          LogFilePrefix: 'cloudfront-logs/',
        },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
      },
    });
  });

  it('sets PUBLIC_ORIGIN_URL to https://<distribution domain> on every stage Lambda and every task definition', () => {
    const functions = [...stack.functions.all()];
    expect(functions).toHaveLength(registryStages('lambda').length + 1);
    for (const fn of functions) {
      const variables =
        template.toJSON().Resources[logicalIdOf(fn.function)].Properties.Environment.Variables;
      expect([fn.node.id, variables[ENV.publicOrigin]]).toEqual([fn.node.id, originUrl]);
    }
    const tasks = stack.tasks.all();
    expect(tasks).toHaveLength(1 + registryStages('ecs').length);
    for (const task of tasks) {
      const [container] = template.toJSON().Resources[logicalIdOf(task.taskDefinition)].Properties
        .ContainerDefinitions as { Environment: { Name: string; Value: unknown }[] }[];
      expect([task.node.id, container?.Environment.find((e) => e.Name === ENV.publicOrigin)?.Value]).toEqual([
        task.node.id,
        originUrl,
      ]);
    }
  });

  it('outputs the public origin URL, the distribution id and its domain name', () => {
    template.hasOutput('PublicOriginUrl', { Value: originUrl });
    template.hasOutput('PublicDistributionId', { Value: { Ref: distributionId } });
    template.hasOutput('PublicDistributionDomainName', {
      Value: { 'Fn::GetAtt': [distributionId, 'DomainName'] },
    });
  });

  it('uses the default *.cloudfront.net certificate and no alias without a custom domain', () => {
    expect(config.Aliases).toBeUndefined();
    expect(config.ViewerCertificate).toBeUndefined();
    expect(stack.publicOrigin.certificate).toBeUndefined();
  });
});

describe('PublicDistribution with a custom domain from context', () => {
  const stack = realStack({}, testApp({ context: CUSTOM_DOMAIN }));
  const template = templateOf(stack);
  const config = distributionConfig(stack, template);

  it('serves the alias with the ACM certificate over SNI, TLS 1.2 at least', () => {
    expect(config.Aliases).toEqual(['podcasts.example.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CUSTOM_DOMAIN[CONTEXT_KEYS.certificateArn],
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('makes https://<domain> the public origin: output and PUBLIC_ORIGIN_URL', () => {
    template.hasOutput('PublicOriginUrl', { Value: 'https://podcasts.example.com' });
    const prepare = stack.functions.byStage.get('prepare');
    if (!prepare) throw new Error('no prepare function');
    expect(
      template.toJSON().Resources[logicalIdOf(prepare.function)].Properties.Environment.Variables[
        ENV.publicOrigin
      ]
    ).toBe('https://podcasts.example.com');
    const [container] = template.toJSON().Resources[logicalIdOf(stack.tasks.orchestrator.taskDefinition)]
      .Properties.ContainerDefinitions as { Environment: { Name: string; Value: unknown }[] }[];
    expect(container?.Environment).toContainEqual({
      Name: ENV.publicOrigin,
      Value: 'https://podcasts.example.com',
    });
  });

  it('leaves no cdk-nag finding on the distribution, with no CFR4 acknowledgment needed', () => {
    acknowledgeNagFindings(stack);
    const report = new AwsSolutionsChecks().validateScope(stack);
    const onOrigin = report.violations.filter((v) =>
      v.violatingResources.some((r) => (r.constructPath ?? '').includes('/PublicOrigin/'))
    );
    expect(onOrigin.map((v) => v.ruleName)).toEqual([]);
  });

  it('fails the synth on half a custom domain or a certificate outside us-east-1, naming the key', () => {
    const withContext = (context: Record<string, unknown>) => () => realStack({}, testApp({ context }));
    expect(withContext({ [CONTEXT_KEYS.domainName]: 'podcasts.example.com' })).toThrow(
      /context podcast-platform:certificateArn: not set, but podcast-platform:domainName is/
    );
    expect(
      withContext({
        ...CUSTOM_DOMAIN,
        [CONTEXT_KEYS.certificateArn]: CUSTOM_DOMAIN[CONTEXT_KEYS.certificateArn].replace(
          'us-east-1',
          'eu-west-1'
        ),
      })
    ).toThrow(/podcast-platform:certificateArn: .* is not in us-east-1/);
  });
});

describe('PublicDistribution props', () => {
  const make = (overrides: Partial<ConstructorParameters<typeof PublicDistribution>[2]> = {}) => {
    const stack = emptyStack();
    const buckets = new PipelineBuckets(stack, 'Buckets');
    const origin = new PublicDistribution(stack, 'PublicOrigin', {
      mediaBucket: buckets.media,
      rssBucket: buckets.rss,
      accessLogsBucket: buckets.accessLogs,
      ...overrides,
    });
    return { origin, template: templateOf(stack) };
  };

  it('validates the log retention', () => {
    expect(() => make({ logsExpirationDays: 0 })).toThrow(
      /logsExpirationDays must be a whole number of days >= 1/
    );
  });

  it('empties and deletes its log bucket with a dev stack', () => {
    const { origin, template } = make({ removalPolicy: RemovalPolicy.DESTROY });
    expect(template.toJSON().Resources[logicalIdOf(origin.logBucket)].DeletionPolicy).toBe('Delete');
    expect(Object.keys(template.findResources('Custom::S3AutoDeleteObjects'))).toEqual([
      expect.stringMatching(/^PublicOriginLogBucketAutoDeleteObjects/),
    ]);
  });
});
