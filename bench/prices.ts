/**
 * AWS infrastructure prices the benchmark's cost estimate uses: us-east-1 (N. Virginia), on-demand,
 * no free tier, as published on the services' pricing pages on PRICES_AS_OF. Provider prices
 * (Bedrock tokens, Polly characters) live in stages/shared/cost/price-constants.ts; the offline
 * providers the benchmark runs cost nothing.
 *
 * Update all of them together: change a number, its source line and PRICES_AS_OF.
 */

/** The date these prices were read from the pricing pages below. */
export const PRICES_AS_OF = '2026-11-23';
export const PRICE_REGION = 'us-east-1';

export const PRICES = {
  /**
   * Step Functions Standard workflows: $0.025 per 1,000 state transitions.
   * Source: https://aws.amazon.com/step-functions/pricing/ (Standard Workflows, US East).
   */
  stepFunctionsPerTransition: 0.025 / 1000,

  /**
   * Lambda on Arm (Graviton2): $0.0000133334 per GB-second (first 7.5 billion GB-s per month
   * tier), billed per 1 ms; $0.20 per 1 million requests. Since 2025-08-01 the INIT phase of
   * on-demand functions on managed runtimes is billed like the invocation ("AWS Lambda standardizes
   * billing for INIT Phase", AWS Compute Blog, 2025-04-29).
   * Source: https://aws.amazon.com/lambda/pricing/ (Arm price, US East).
   */
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,

  /**
   * Fargate Linux/ARM: $0.03238 per vCPU-hour and $0.00356 per GB-hour, per second with a
   * 1-minute minimum, from the start of the image pull until the task stops.
   * Source: https://aws.amazon.com/fargate/pricing/ (Linux/ARM, US East).
   */
  fargateArmPerVcpuSecond: 0.03238 / 3600,
  fargateArmPerGbSecond: 0.00356 / 3600,
  fargateMinimumSeconds: 60,

  /**
   * DynamoDB on-demand (Standard table class): $0.625 per million write request units and
   * $0.125 per million read request units (the prices since the 2024-11-01 reduction). A write
   * unit is one write of up to 1 KB; a read unit is one strongly consistent read of up to 4 KB
   * (two eventually consistent reads). Global secondary indexes consume their own write units.
   * Source: https://aws.amazon.com/dynamodb/pricing/on-demand/ (US East).
   */
  dynamoPerWriteUnit: 0.625 / 1_000_000,
  dynamoPerReadUnit: 0.125 / 1_000_000,

  /**
   * S3 Standard requests: PUT, COPY, POST and LIST at $0.005 per 1,000; GET, HEAD and all other
   * requests at $0.0004 per 1,000 (storage and transfer are left out: a run's artifacts are a few
   * MB and expire with the bucket's lifecycle rule).
   * Source: https://aws.amazon.com/s3/pricing/ (Requests & data retrievals, S3 Standard, US East).
   */
  s3PerWriteClassRequest: 0.005 / 1000,
  s3PerReadClassRequest: 0.0004 / 1000,
} as const;

/** S3 operations billed at the PUT/COPY/POST/LIST rate; every other operation is GET-class. */
export const S3_WRITE_CLASS_OPERATIONS: ReadonlySet<string> = new Set([
  'PutObject',
  'CopyObject',
  'CreateMultipartUpload',
  'UploadPart',
  'UploadPartCopy',
  'CompleteMultipartUpload',
  'ListObjects',
  'ListObjectsV2',
  'ListBuckets',
  'ListMultipartUploads',
  'ListParts',
  'ListObjectVersions',
]);

/** DynamoDB operations that consume write units (the rest consume read units). */
export const DYNAMO_WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);
