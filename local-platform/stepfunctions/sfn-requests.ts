/**
 * Reading Step Functions requests: required and optional members, execution names and inputs as
 * AWS checks them, and paging (`maxResults`, `nextToken`).
 */
import { SfnApiError } from './sfn-errors';

type Request = Record<string, unknown>;

export function requiredString(request: Request, member: string): string {
  const value = request[member];
  if (typeof value !== 'string' || value.length === 0)
    throw new SfnApiError(
      'ValidationException',
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must not be null`
    );
  return value;
}

export function optionalString(request: Request, member: string): string | undefined {
  const value = request[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new SfnApiError('ValidationException', `Value at '${member}' must be a string`);
  return value;
}

/**
 * AWS's rules for execution names: 1-80 characters; no whitespace, brackets, wildcards,
 * `"#%\^|~`$&,;:/` or control characters.
 */
export function checkExecutionName(name: string): void {
  if (name.length < 1 || name.length > 80)
    throw new SfnApiError('InvalidName', `Invalid Name: '${name}' (1-80 characters)`);
  // eslint-disable-next-line no-control-regex
  if (/[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name))
    throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
}

/** Step Functions' limit on an execution's input. */
export const MAX_INPUT_BYTES = 256 * 1024;

export function checkInput(input: string): unknown {
  if (Buffer.byteLength(input) > MAX_INPUT_BYTES)
    throw new SfnApiError(
      'InvalidExecutionInput',
      `Invalid execution input: larger than ${MAX_INPUT_BYTES} bytes`
    );
  try {
    return JSON.parse(input);
  } catch (error) {
    throw new SfnApiError('InvalidExecutionInput', `Invalid execution input: ${(error as Error).message}`);
  }
}

/** One page of `items` (maxResults 1-1000, default 100) and the token of the next one. */
export function page<T>(items: readonly T[], request: Request): { items: T[]; nextToken?: string } {
  const max = request.maxResults === undefined || request.maxResults === 0 ? 100 : request.maxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 1000)
    throw new SfnApiError('ValidationException', 'maxResults: must be an integer from 0 to 1000');
  let offset = 0;
  const token = optionalString(request, 'nextToken');
  if (token !== undefined) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) throw new SfnApiError('ValidationException', 'nextToken: not a token this API gave');
    offset = Number(decoded[1]);
  }
  const slice = items.slice(offset, offset + max);
  const next =
    offset + max < items.length ? Buffer.from(`o${offset + max}`).toString('base64url') : undefined;
  return { items: slice, ...(next ? { nextToken: next } : {}) };
}
