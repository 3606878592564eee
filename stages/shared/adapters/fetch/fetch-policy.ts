/**
 * The one fetch policy (DESIGN rule 8): what a fetch of untrusted content may reach. Everything a
 * source feed or a story page says is hostile until checked; only the operator's configuration is
 * trusted. The policy is data, built once by a composition root and handed to the UrlFetcher:
 *
 * - `http:`/`https:` only, on ports 80/443, and every address actually connected to must be a
 *   global unicast address (ip-address.ts);
 * - `allowHosts` opens exactly the listed `host:port` pairs to loopback and private addresses
 *   (local testing: the orchestrator's `--allow-host`, or `FETCH_ALLOW_HOSTS` on this machine);
 *   never to the metadata endpoints; nothing else opens the guard;
 * - `fileRoots` lets `file:` URLs read regular files under those folders: the folders of podcast
 *   configs loaded with `--podcast` in the embedded local mode. Empty everywhere else.
 */
import path from 'node:path';
import { ValidationError } from '../../errors';

export interface FetchPolicy {
  /** Canonical `host:port` pairs the address guard lets through (as a URL spells them). */
  readonly allowHosts: ReadonlySet<string>;
  /** Absolute, symlink-free folders whose regular files `file:` URLs may read. */
  readonly fileRoots: readonly string[];
  /** Redirects followed per fetch, each hop checked again. */
  readonly maxRedirects: number;
  /** Bytes read per fetch (after decompression), counted as they arrive. */
  readonly maxBytes: number;
  /** The whole fetch, from the first connect to the last byte of the last hop. */
  readonly timeoutMs: number;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  allowHosts: new Set(),
  fileRoots: [],
  maxRedirects: 5,
  maxBytes: 5 * 1024 * 1024,
  timeoutMs: 15_000,
};

/** The environment variable that lists allowed `host:port` pairs, comma-separated (local testing only). */
export const FETCH_ALLOW_HOSTS = 'FETCH_ALLOW_HOSTS';
/**
 * Set by the embedded local orchestrator for the processes it starts (stage tasks): the folders
 * of the podcast configs it loaded. Honoured only when the process's data endpoints are on this
 * machine (the embedded servers), never in the cloud.
 */
export const LOCAL_FILE_ROOTS = 'PODCAST_PLATFORM_LOCAL_FILE_ROOTS';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** `host:port` as a URL of that scheme canonicalises it (so `2130706433:8080` is `127.0.0.1:8080`). */
export function hostKey(url: URL): string {
  return `${url.hostname.toLowerCase()}:${url.port || DEFAULT_PORTS[url.protocol] || ''}`;
}

/** Parses one `--allow-host` value; a ValidationError names the flag and the bad entry. */
export function parseAllowHost(entry: string, what: string): string {
  const trimmed = entry.trim();
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s/:@[\]?#]+):(\d{1,5})$/.exec(trimmed);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new ValidationError(`${what}: "${entry}" must be HOST:PORT (for example 127.0.0.1:8080)`, what);
  }
  let url: URL;
  try {
    url = new URL(`http://${match[1]}:${port}/`);
  } catch {
    throw new ValidationError(`${what}: "${entry}" is not a valid host`, what);
  }
  // The host must be all the URL parser read as host: `a\b:80` parses as host `a`, path `/b:80/`.
  if (url.pathname !== '/' || url.search || url.hash)
    throw new ValidationError(`${what}: "${entry}" is not a valid host`, what);
  // The default port disappears from a canonical URL; keep it explicit in the key.
  return `${url.hostname.toLowerCase()}:${port}`;
}

export function parseAllowHosts(list: string | undefined, what: string): string[] {
  if (!list?.trim()) return [];
  return list
    .split(',')
    .filter((e) => e.trim())
    .map((e) => parseAllowHost(e, what));
}

function isLoopbackEndpoint(value: string | undefined): boolean {
  if (!value) return false;
  try {
    const host = new URL(value).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/**
 * The policy a process gets from its environment. FETCH_ALLOW_HOSTS and the local file roots are
 * honoured only on this machine: in the embedded mode (`extra.embedded`, the orchestrator without
 * AWS configuration) or in a process whose data endpoints are loopback (the stage tasks it
 * starts). A Lambda or a Fargate task never opens the guard from its environment.
 */
export function fetchPolicyFromEnv(
  env: NodeJS.ProcessEnv,
  extra: { allowHosts?: readonly string[]; fileRoots?: readonly string[]; embedded?: boolean } = {}
): FetchPolicy {
  const embedded =
    extra.embedded === true ||
    (isLoopbackEndpoint(env.AWS_ENDPOINT_URL_S3) && isLoopbackEndpoint(env.AWS_ENDPOINT_URL_DYNAMODB));
  const envRoots = embedded
    ? (env[LOCAL_FILE_ROOTS] ?? '').split(path.delimiter).filter((r) => path.isAbsolute(r))
    : [];
  const envHosts = embedded ? parseAllowHosts(env[FETCH_ALLOW_HOSTS], FETCH_ALLOW_HOSTS) : [];
  return {
    ...DEFAULT_FETCH_POLICY,
    allowHosts: new Set([...envHosts, ...(extra.allowHosts ?? [])]),
    fileRoots: [...new Set([...envRoots, ...(extra.fileRoots ?? [])])],
  };
}

/** The environment that hands this policy on to a child process (stage tasks in local runs). */
export function fetchPolicyEnv(policy: FetchPolicy): Record<string, string> {
  const env: Record<string, string> = {};
  if (policy.allowHosts.size > 0) env[FETCH_ALLOW_HOSTS] = [...policy.allowHosts].join(',');
  if (policy.fileRoots.length > 0) env[LOCAL_FILE_ROOTS] = policy.fileRoots.join(path.delimiter);
  return env;
}

/**
 * Why this URL may not be requested at all (scheme, credentials, port), before any address is
 * looked at; undefined when it may be requested.
 */
export function refusedUrlReason(url: URL, policy: FetchPolicy): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `the ${url.protocol.replace(/:$/, '')} scheme is not allowed (http and https only)`;
  if (url.username || url.password) return 'URLs with user credentials are not fetched';
  if (policy.allowHosts.has(hostKey(url))) return undefined;
  if (url.port && url.port !== DEFAULT_PORTS[url.protocol])
    return `port ${url.port} is not allowed (80 and 443 only; for a test server on this machine, --allow-host HOST:PORT)`;
  return undefined;
}

/** Whether the address guard is off for this URL's exact `host:port` (an explicit allowance). */
export function isAllowedHost(url: URL, policy: FetchPolicy): boolean {
  return policy.allowHosts.has(hostKey(url));
}
