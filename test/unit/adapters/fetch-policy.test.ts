/**
 * `--allow-host` / FETCH_ALLOW_HOSTS parsing: an entry opens exactly the one `host:port` pair it
 * spells (canonicalised as a URL would), and an entry the URL parser would read as another host
 * is refused rather than quietly opening that other host. Pure functions: no traffic.
 */
import {
  DEFAULT_FETCH_POLICY,
  fetchPolicyFromEnv,
  hostKey,
  parseAllowHost,
  parseAllowHosts,
  refusedUrlReason,
} from '../../../stages/shared/adapters/fetch/fetch-policy';
import { metadataAddressReason } from '../../../stages/shared/adapters/fetch/ip-address';
import { ValidationError } from '../../../stages/shared/errors';

describe('parseAllowHost', () => {
  it.each([
    ['127.0.0.1:8080', '127.0.0.1:8080'],
    [' 127.0.0.1:8080 ', '127.0.0.1:8080'],
    ['127.1:8080', '127.0.0.1:8080'],
    ['2130706433:8080', '127.0.0.1:8080'],
    ['127.0.0.1:0080', '127.0.0.1:80'],
    ['LOCALHOST:8080', 'localhost:8080'],
    ['[::1]:9000', '[::1]:9000'],
    ['[0:0:0:0:0:0:0:1]:9000', '[::1]:9000'],
  ])('reads %s as %s', (entry, key) => {
    expect(parseAllowHost(entry, '--allow-host')).toBe(key);
  });

  it.each([
    // The URL parser reads a backslash as a path separator: these would open a:80 and 127.0.0.1:8080.
    'a\\b:80',
    '127.0.0.1\\x:8080',
    'localhost:8080/x',
    '127.0.0.1:0',
    '127.0.0.1:65536',
    '127.0.0.1',
    'user@127.0.0.1:8080',
    '[fe80::1%eth0]:80',
    'http://127.0.0.1:8080',
  ])('refuses %s', (entry) => {
    expect(() => parseAllowHost(entry, '--allow-host')).toThrow(ValidationError);
  });

  it('opens the one pair: the same host on another port, or another spelling of the name, stays closed', () => {
    const policy = {
      ...DEFAULT_FETCH_POLICY,
      allowHosts: new Set(parseAllowHosts('127.0.0.1:8080,[::1]:9000', 'FETCH_ALLOW_HOSTS')),
    };
    expect(refusedUrlReason(new URL('http://127.0.0.1:8080/x'), policy)).toBeUndefined();
    expect(refusedUrlReason(new URL('http://0x7f.1:8080/x'), policy)).toBeUndefined();
    expect(refusedUrlReason(new URL('http://127.0.0.1:8081/x'), policy)).toMatch(/port 8081 is not allowed/);
    expect(refusedUrlReason(new URL('http://localhost:8080/x'), policy)).toMatch(/port 8080 is not allowed/);
    expect(refusedUrlReason(new URL('http://[::ffff:127.0.0.1]:8080/x'), policy)).toMatch(
      /port 8080 is not allowed/
    );
    expect(refusedUrlReason(new URL('http://[::1]:8080/x'), policy)).toMatch(/port 8080 is not allowed/);
    expect(hostKey(new URL('http://127.0.0.1/'))).toBe('127.0.0.1:80');
    expect(hostKey(new URL('https://127.0.0.1/'))).toBe('127.0.0.1:443');
  });
});

describe('fetchPolicyFromEnv', () => {
  const env = { FETCH_ALLOW_HOSTS: '127.0.0.1:8080', PODCAST_PLATFORM_LOCAL_FILE_ROOTS: '/srv/show' };
  const local = {
    AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4567',
  };

  it('honours FETCH_ALLOW_HOSTS and the file roots only on this machine', () => {
    expect([...fetchPolicyFromEnv(env).allowHosts]).toEqual([]);
    expect(fetchPolicyFromEnv(env).fileRoots).toEqual([]);
    expect([
      ...fetchPolicyFromEnv({ ...env, AWS_ENDPOINT_URL_S3: 'https://s3.us-east-1.amazonaws.com' }).allowHosts,
    ]).toEqual([]);
    expect([...fetchPolicyFromEnv({ ...env, ...local }).allowHosts]).toEqual(['127.0.0.1:8080']);
    expect(fetchPolicyFromEnv({ ...env, ...local }).fileRoots).toEqual(['/srv/show']);
    expect([...fetchPolicyFromEnv(env, { embedded: true }).allowHosts]).toEqual(['127.0.0.1:8080']);
  });

  it('always takes the allowances a composition root passes (the CLI --allow-host)', () => {
    expect([...fetchPolicyFromEnv({}, { allowHosts: ['127.0.0.1:9000'] }).allowHosts]).toEqual([
      '127.0.0.1:9000',
    ]);
  });
});

describe('metadataAddressReason (what even an allowance never opens)', () => {
  it.each([
    '169.254.169.254',
    '169.254.170.2',
    '[::ffff:169.254.169.254]',
    '[fe80::1]',
    '[fd00:ec2::254]',
    '0.0.0.0',
    '[64:ff9b::a9fe:a9fe]',
  ])('refuses %s', (address) => {
    expect(metadataAddressReason(address.replace(/^\[|\]$/g, ''))).toBeDefined();
  });

  it.each(['127.0.0.1', '10.1.2.3', '192.168.1.10', '::1', 'fd00::1', '8.8.8.8'])(
    'leaves %s to the allowance',
    (address) => {
      expect(metadataAddressReason(address)).toBeUndefined();
    }
  );
});
