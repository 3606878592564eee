/**
 * The address guard over every spelling a hostile link may use. Hosts go through WHATWG URL
 * parsing first, exactly as a fetched link does, so decimal, hex, octal and short IPv4 forms
 * arrive canonical. Pure functions: no traffic to any address.
 */
import { blockedAddressReason, parseIPv6 } from '../../../stages/shared/adapters/fetch/ip-address';

/** The host a URL with this authority connects to, as the fetcher sees it. */
const hostOf = (authority: string) => new URL(`http://${authority}/`).hostname.replace(/^\[|\]$/g, '');

describe('blockedAddressReason', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['0x7f.1', 'loopback'],
    ['localhost.', undefined],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['2852039166', 'link-local'],
    ['0xa9fea9fe', 'link-local'],
    ['0251.0376.0251.0376', 'link-local'],
    ['169.254.43518', 'link-local'],
    ['0xa9.0xfe.0xa9.0xfe', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', '"this network"'],
    ['0', '"this network"'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['[::1]', 'loopback'],
    ['[::]', 'unspecified'],
    ['[0:0:0:0:0:0:0:1]', 'loopback'],
    ['[fe80::1]', 'link-local'],
    ['[febf::1]', 'link-local'],
    ['[fc00::1]', 'unique local'],
    ['[fd00:ec2::254]', 'unique local'],
    ['[ff02::1]', 'multicast'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['[::ffff:169.254.169.254]', 'link-local'],
    ['[::ffff:a9fe:a9fe]', 'link-local'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['[0:0:0:0:0:ffff:192.168.0.1]', 'private'],
    ['[::127.0.0.1]', 'loopback'],
    ['[::a9fe:a9fe]', 'link-local'],
    ['[::ffff:0:a9fe:a9fe]', 'link-local'],
    ['[64:ff9b::a9fe:a9fe]', 'link-local'],
    ['[64:ff9b::127.0.0.1]', 'loopback'],
    ['[2002:a9fe:a9fe::1]', 'link-local'],
    ['[2002:7f00:1::]', 'loopback'],
    ['[2001:0:4136:e378:8000:63bf:3fff:fdd2]', 'Teredo'],
    ['[2001:db8::1]', 'documentation'],
    ['[3fff::1]', 'documentation'],
    ['[2001:2::1]', 'benchmarking'],
    ['[5f00::1]', 'segment routing'],
    // IPv4-compatible forms of 0.0.0.x ("this network"); only :: and ::1 are judged as IPv6.
    ['[::2]', '"this network"'],
    ['[::ff]', '"this network"'],
    ['[::0.0.0.255]', '"this network"'],
  ])('refuses %s (%s)', (authority, kind) => {
    const host = hostOf(authority);
    if (kind === undefined) {
      // A name, not an address: the guard resolves it first (see url-fetcher.test.ts).
      expect(blockedAddressReason(host)).toMatch(/not an IP address/);
      return;
    }
    expect(blockedAddressReason(host)).toContain(kind);
  });

  it.each([
    ['93.184.216.34'],
    ['1.1.1.1'],
    ['8.8.8.8'],
    ['172.15.255.255'],
    ['172.32.0.0'],
    ['100.63.255.255'],
    ['100.128.0.0'],
    ['169.253.255.255'],
    ['192.169.0.1'],
    ['[2606:4700:4700::1111]'],
    ['[2a00:1450:4001:80b::200e]'],
    ['[::ffff:93.184.216.34]'],
    ['[64:ff9b::808:808]'],
    ['[2002:5db8:d822::1]'],
  ])('lets the global unicast address %s through', (authority) => {
    expect(blockedAddressReason(hostOf(authority))).toBeUndefined();
  });

  it('refuses what is not a well-formed address', () => {
    expect(blockedAddressReason('')).toMatch(/not an IP address/);
    expect(blockedAddressReason('1.2.3')).toMatch(/not an IP address/);
    expect(blockedAddressReason('01.2.3.4')).toMatch(/not an IP address/);
    expect(blockedAddressReason('::g')).toMatch(/not an IP address/);
  });
});

describe('parseIPv6', () => {
  it('expands short forms, embedded dotted quads and zone ids', () => {
    expect(parseIPv6('::1')).toEqual([...new Array<number>(15).fill(0), 1]);
    expect(parseIPv6('::ffff:1.2.3.4')?.slice(10)).toEqual([0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIPv6('fe80::1%eth0')?.slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(parseIPv6('[2001:db8::]')?.slice(0, 4)).toEqual([0x20, 0x01, 0x0d, 0xb8]);
    expect(parseIPv6('1::2::3')).toBeUndefined();
  });
});
