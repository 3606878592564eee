/**
 * Error and paging helpers shared by the DynamoDB adapters. A failed condition is a domain
 * outcome (duplicate event, run already final...), so the adapters test for it here and map it;
 * the SDK exception never leaves an adapter.
 */
import { ConditionalCheckFailedException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';

export type DynamoItem = Record<string, NativeAttributeValue>;

/** True when a conditional write was rejected because its condition did not hold. */
export function isConditionalCheckFailed(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  // Matched by name too: errors deserialised by another copy of the SDK are not `instanceof`.
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** True when the table (or index) does not exist. */
export function isResourceNotFound(error: unknown): boolean {
  if (error instanceof ResourceNotFoundException) return true;
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

/** A page of items plus the key to continue from, as Query and Scan return them. */
export interface ItemPage {
  Items?: DynamoItem[];
  LastEvaluatedKey?: DynamoItem;
}

/**
 * Reads every page of a Query (or Scan): `fetch` is called with the previous page's
 * LastEvaluatedKey until there is none, or until `limit` items were collected.
 */
export async function collectPages(
  fetch: (exclusiveStartKey: DynamoItem | undefined) => Promise<ItemPage>,
  limit = Number.POSITIVE_INFINITY
): Promise<DynamoItem[]> {
  const items: DynamoItem[] = [];
  let startKey: DynamoItem | undefined;
  do {
    const page = await fetch(startKey);
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < limit);
  return items.slice(0, limit);
}
