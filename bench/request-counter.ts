/**
 * Counts the DynamoDB and S3 requests a run makes: an SDK middleware added to the clients the
 * benchmark builds (the same clients createAwsPersistence gets in production, so no production code
 * changes). Each request is recorded with its operation, its table or bucket, the unit of work it
 * was made for (an AsyncLocalStorage scope set around each stage unit), and for DynamoDB the
 * capacity units it consumed: the middleware asks for `ReturnConsumedCapacity: TOTAL`, which the
 * local server (dynalite) answers from the item sizes; a Query or Scan answered without it is
 * estimated from the size of what it returned.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';

export type Service = 'dynamodb' | 's3';

export interface RequestRecord {
  service: Service;
  /** The API operation, e.g. `UpdateItem`, `PutObject`. */
  operation: string;
  /** The logical table or bucket (`runs`, `media`...), or the physical name when unknown. */
  resource: string;
  /** The unit of work that made it (`tts/2`, `RecordSuccess`), or `run` outside any unit. */
  unit: string;
  /** The stage the unit belongs to (`tts`), or `run`. */
  stage: string;
  ok: boolean;
  /** performance.now() when the request was sent, and how long it took. */
  start: number;
  ms: number;
  /** DynamoDB capacity units consumed by the table itself (indexes not included). */
  capacityUnits?: number;
  /** True when capacityUnits is estimated from the response size rather than reported. */
  capacityEstimated?: boolean;
}

export interface UnitScope {
  unit: string;
  stage: string;
}

/** Which unit of work the code running now belongs to (set by the benchmark's wrappers). */
export const unitScope = new AsyncLocalStorage<UnitScope>();

const METERED_DYNAMO_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
]);
const READ_UNIT_BYTES = 4096;

interface ConsumedCapacity {
  CapacityUnits?: number;
}

/** Capacity units from a DynamoDB response: reported, or estimated for Query/Scan. */
export function capacityOf(
  operation: string,
  input: Record<string, unknown>,
  output: Record<string, unknown> | undefined
): { units: number; estimated: boolean } | undefined {
  const consumed = output?.ConsumedCapacity as ConsumedCapacity | ConsumedCapacity[] | undefined;
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  const reported = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
  if (list.length > 0) return { units: reported, estimated: false };
  if (operation !== 'Query' && operation !== 'Scan') return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(output?.Items ?? []));
  const blocks = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
  return { units: input.ConsistentRead === true ? blocks : blocks / 2, estimated: true };
}

type DynamoStack = DynamoDBDocumentClient['middlewareStack'];
type S3Stack = S3Client['middlewareStack'];

export class RequestCounter {
  private records: RequestRecord[] = [];

  /** @param resourceNames physical table/bucket name -> logical name (`runs`, `media`...) */
  constructor(private readonly resourceNames: Readonly<Record<string, string>> = {}) {}

  /** Adds the counting middleware to a DynamoDB document client (it shares its base client's stack). */
  attachDynamo(client: DynamoDBDocumentClient): void {
    this.attach(client.middlewareStack, 'dynamodb');
  }

  attachS3(client: S3Client): void {
    this.attach(client.middlewareStack, 's3');
  }

  /** Everything recorded since the last reset. */
  all(): RequestRecord[] {
    return [...this.records];
  }

  reset(): void {
    this.records = [];
  }

  private attach(stack: DynamoStack | S3Stack, service: Service): void {
    const middleware =
      (next: (args: { input: object }) => Promise<{ output: object }>, context: { commandName?: string }) =>
      async (args: { input: object }) => {
        const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        const input = args.input as Record<string, unknown>;
        if (
          service === 'dynamodb' &&
          METERED_DYNAMO_OPERATIONS.has(operation) &&
          input.ReturnConsumedCapacity === undefined
        ) {
          input.ReturnConsumedCapacity = 'TOTAL';
        }
        const scope = unitScope.getStore();
        const physical = String((service === 'dynamodb' ? input.TableName : input.Bucket) ?? '');
        const base = {
          service,
          operation,
          resource: this.resourceNames[physical] ?? physical,
          unit: scope?.unit ?? 'run',
          stage: scope?.stage ?? 'run',
        };
        const started = performance.now();
        try {
          const result = await next(args);
          const capacity =
            service === 'dynamodb'
              ? capacityOf(operation, input, result.output as Record<string, unknown>)
              : undefined;
          this.records.push({
            ...base,
            ok: true,
            start: started,
            ms: performance.now() - started,
            ...(capacity ? { capacityUnits: capacity.units, capacityEstimated: capacity.estimated } : {}),
          });
          return result;
        } catch (error) {
          this.records.push({ ...base, ok: false, start: started, ms: performance.now() - started });
          throw error;
        }
      };
    (stack as { add(mw: unknown, options: { step: string; name: string; priority: string }): void }).add(
      middleware,
      {
        step: 'initialize',
        name: 'benchRequestCounter',
        priority: 'low',
      }
    );
  }
}

/** Requests grouped by `service:operation`, sorted by key. */
export function countByOperation(records: readonly RequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records)
    counts[`${r.service}:${r.operation}`] = (counts[`${r.service}:${r.operation}`] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
