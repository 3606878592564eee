/**
 * Which IP addresses a fetch of untrusted content may connect to. Only global unicast addresses
 * pass: loopback, private, link-local (the cloud metadata endpoints), CGNAT, unique-local,
 * "this network", multicast, broadcast, reserved and documentation ranges are refused, and so are
 * IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo) whenever the
 * address they carry is refused. Input is an address as DNS or a parsed URL gives it (WHATWG URL
 * parsing already turns `2852039166`, `0xa9fea9fe`, `0251.0376.0251.0376` and `169.254.43518` into
 * `169.254.169.254`); anything that is not a well-formed address is refused too.
 */
import { isIP } from 'node:net';

interface Range {
  base: number[];
  bits: number;
  name: string;
}

const v4 = (cidr: string, name: string): Range => {
  const [address = '', bits = '32'] = cidr.split('/');
  return { base: parseIPv4(address) ?? [], bits: Number(bits), name };
};

const v6 = (cidr: string, name: string): Range => {
  const [address = '', bits = '128'] = cidr.split('/');
  return { base: parseIPv6(address) ?? [], bits: Number(bits), name };
};

const BLOCKED_V4: readonly Range[] = [
  v4('0.0.0.0/8', '"this network"'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'carrier-grade NAT'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local (cloud metadata)'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'IETF protocol assignments'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', '6to4 relay anycast'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('240.0.0.0/4', 'reserved'),
];

const BLOCKED_V6: readonly Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('64:ff9b:1::/48', 'local-use NAT64'),
  v6('100::/64', 'discard-only'),
  v6('2001::/32', 'Teredo'),
  v6('2001:2::/48', 'benchmarking'),
  v6('2001:db8::/32', 'documentation'),
  v6('3fff::/20', 'documentation'),
  v6('5f00::/16', 'segment routing (SRv6 SID)'),
  v6('fc00::/7', 'unique local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'site-local'),
  v6('ff00::/8', 'multicast'),
];

/** IPv6 prefixes whose low 32 bits (or, for 6to4, bits 16..48) are an IPv4 address. */
const EMBEDDING_V4: readonly { range: Range; offset: number }[] = [
  { range: v6('::ffff:0:0/96', 'IPv4-mapped'), offset: 12 },
  { range: v6('::/96', 'IPv4-compatible'), offset: 12 },
  { range: v6('::ffff:0:0:0/96', 'IPv4-translated'), offset: 12 },
  { range: v6('64:ff9b::/96', 'NAT64'), offset: 12 },
  { range: v6('2002::/16', '6to4'), offset: 2 },
];

/** Four octets of a dotted-quad IPv4 address, or undefined. */
export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}

/** Sixteen bytes of an IPv6 address (zone id dropped, embedded dotted quad allowed), or undefined. */
export function parseIPv6(text: string): number[] | undefined {
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(address) !== 6) return undefined;
  let tail: number[] = [];
  let head = address;
  const quad = /:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (quad?.[1]) {
    const octets = parseIPv4(quad[1]);
    if (!octets) return undefined;
    tail = octets;
    head = `${address.slice(0, quad.index)}:0:0`;
  }
  const [left = '', right] = head.split('::');
  const groups = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const missing = 8 - l.length - r.length;
  if (missing < 0 || (right === undefined && missing !== 0)) return undefined;
  const words = [...l, ...new Array<number>(missing).fill(0), ...r];
  const bytes = words.flatMap((w) => [(w >> 8) & 0xff, w & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

function inRange(bytes: readonly number[], range: Range): boolean {
  if (bytes.length !== range.base.length) return false;
  let bits = range.bits;
  for (let i = 0; i < bytes.length && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((range.base[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * Why a connection to this address is refused, or undefined when it is a global unicast address.
 * `address` is an IPv4 dotted quad or an IPv6 address (brackets and zone id allowed).
 */
export function blockedAddressReason(address: string): string | undefined {
  return reasonIn(address, BLOCKED_V4, BLOCKED_V6);
}

/** Never reachable, not even for an explicitly allowed `host:port`: the cloud metadata and credential endpoints. */
const METADATA_V4: readonly Range[] = [
  v4('169.254.0.0/16', 'link-local (cloud metadata)'),
  v4('0.0.0.0/8', '"this network"'),
];
const METADATA_V6: readonly Range[] = [
  v6('fe80::/10', 'link-local'),
  v6('fd00:ec2::254/128', 'EC2 metadata'),
  v6('::/128', 'unspecified'),
];

/**
 * Why even an allowed `host:port` may not connect to this address (the metadata and credential
 * endpoints of EC2, ECS and Lambda, in any spelling), or undefined. An allowance opens loopback and
 * private addresses for local testing, never these.
 */
export function metadataAddressReason(address: string): string | undefined {
  return reasonIn(address, METADATA_V4, METADATA_V6);
}

function reasonIn(address: string, ranges4: readonly Range[], ranges6: readonly Range[]): string | undefined {
  const octets = parseIPv4(address);
  if (octets) {
    const range = ranges4.find((r) => inRange(octets, r));
    return range ? `${address} is a ${range.name} address` : undefined;
  }
  const bytes = parseIPv6(address);
  if (!bytes) return `${address} is not an IP address`;
  for (const { range, offset } of EMBEDDING_V4) {
    if (!inRange(bytes, range)) continue;
    // :: and ::1 sit inside ::/96; they are judged as IPv6 below (::2 to ::ff are 0.0.0.x, refused).
    if (range.name === 'IPv4-compatible' && bytes.slice(0, 15).every((b) => b === 0) && (bytes[15] ?? 0) <= 1)
      break;
    const embedded = bytes.slice(offset, offset + 4).join('.');
    const reason = reasonIn(embedded, ranges4, ranges6);
    return reason ? `${address} is ${range.name} and ${reason}` : undefined;
  }
  const range = ranges6.find((r) => inRange(bytes, r));
  return range ? `${address} is a ${range.name} address` : undefined;
}
