/**
 * Which webhook targets alerting may call (no SSRF): https only unless configured, and no
 * loopback, private, link-local (cloud metadata), multicast or reserved address unless a
 * configured network allows it. Names are checked when a subscription is created and again
 * on every connection: the dispatcher's sockets connect only to an address this policy
 * resolved and accepted (`lookup`), so a name that resolves to a public address at creation
 * and to 127.0.0.1 later (DNS rebinding) is refused when sending.
 */
import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { ConfigError } from '@iotmon/config';

export interface WebhookTargetConfig {
  /** Plain http:// targets (default off: https only). */
  allowHttp: boolean;
  /** CIDRs that are allowed even though they are private, e.g. `10.20.0.0/16,127.0.0.1/32`. */
  allowedNetworks: string[];
  /** DNS servers (`host[:port]`) to resolve target names with; default: the system resolver. */
  dnsServers: string[];
}

/** Addresses no webhook may reach unless allowed: RFC 6890 special-purpose ranges. */
const DENIED: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, incl. the cloud metadata service 169.254.169.254
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'], // NAT64
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'], // unique local (incl. fd00:ec2::254, AWS metadata over IPv6)
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

export class WebhookTargetRefused extends Error {
  constructor(
    message: string,
    /** The address that was refused, when the refusal came from resolving a name. */
    readonly address?: string,
  ) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

export function webhookTargetConfigFromEnv(env: NodeJS.ProcessEnv): WebhookTargetConfig {
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const allowHttp = env['WEBHOOK_ALLOW_HTTP'];
  if (allowHttp !== undefined && allowHttp !== '' && !/^(true|false|1|0)$/i.test(allowHttp)) {
    throw new ConfigError('WEBHOOK_ALLOW_HTTP', `must be true or false, got "${allowHttp}"`);
  }
  const allowedNetworks = list('WEBHOOK_ALLOWED_NETWORKS');
  for (const cidr of allowedNetworks) {
    if (!parseCidr(cidr)) {
      throw new ConfigError(
        'WEBHOOK_ALLOWED_NETWORKS',
        `must be comma-separated CIDRs (10.0.0.0/8, fd00::/8), got "${cidr}"`,
      );
    }
  }
  const dnsServers = list('WEBHOOK_DNS_SERVERS');
  try {
    if (dnsServers.length > 0) new Resolver().setServers(dnsServers);
  } catch (e) {
    throw new ConfigError(
      'WEBHOOK_DNS_SERVERS',
      `must be host[:port] entries: ${(e as Error).message}`,
    );
  }
  return { allowHttp: /^(true|1)$/i.test(allowHttp ?? ''), allowedNetworks, dnsServers };
}

function parseCidr(
  cidr: string,
): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const m = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(cidr);
  if (!m) return null;
  const family = isIP(m[1]);
  if (family === 0) return null;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const prefix = m[2] === undefined ? (family === 4 ? 32 : 128) : Number(m[2]);
  if (prefix > (family === 4 ? 32 : 128)) return null;
  return { address: m[1], prefix, type };
}

export class WebhookTargetPolicy {
  private readonly denied = new BlockList();
  private readonly allowed = new BlockList();
  private readonly resolver?: Resolver;

  constructor(private readonly config: WebhookTargetConfig) {
    for (const [address, prefix, type] of DENIED) this.denied.addSubnet(address, prefix, type);
    for (const cidr of config.allowedNetworks) {
      const c = parseCidr(cidr)!;
      this.allowed.addSubnet(c.address, c.prefix, c.type);
    }
    if (config.dnsServers.length > 0) {
      this.resolver = new Resolver({ timeout: 2_000, tries: 2 });
      this.resolver.setServers(config.dnsServers);
    }
  }

  /** Whether a resolved address may be called. */
  allowsAddress(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed.check(address, type)) return true;
    // IPv4-mapped IPv6 (::ffff:a.b.c.d) would reach any IPv4 address; never a webhook's.
    // (Not a BlockList rule: BlockList matches every IPv4 address against ::ffff:0:0/96.)
    if (type === 'ipv6' && /^(0{0,4}:){0,5}:?ffff:/i.test(address)) return false;
    return !this.denied.check(address, type);
  }

  /**
   * The URL checks that need no DNS: scheme, and the address when the host is an IP literal
   * (a socket to an IP literal never calls `lookup`). Throws WebhookTargetRefused.
   */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookTargetRefused('is not a URL');
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.config.allowHttp)) {
      throw new WebhookTargetRefused(
        this.config.allowHttp
          ? 'must be an http(s) URL'
          : 'must be an https URL (WEBHOOK_ALLOW_HTTP allows http)',
      );
    }
    if (url.username || url.password) {
      throw new WebhookTargetRefused('must not carry credentials (use the signing secret)');
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !this.allowsAddress(host)) {
      throw new WebhookTargetRefused(`host ${refusal(host).replace('resolves to', 'is')}`, host);
    }
    return url;
  }

  /** Full check at subscription time: the URL and every address its name resolves to. */
  async check(raw: string): Promise<void> {
    const url = this.checkUrl(raw);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return;
    const addresses = await this.resolve(host).catch((e: NodeJS.ErrnoException) => {
      throw new WebhookTargetRefused(`host ${host} does not resolve (${e.code ?? e.message})`);
    });
    const bad = addresses.find((a) => !this.allowsAddress(a.address));
    if (bad) throw new WebhookTargetRefused(`host ${host} ${refusal(bad.address)}`, bad.address);
  }

  /**
   * A `net.connect` lookup that resolves with this policy's resolver and fails the
   * connection when any address of the name is not allowed; the socket then connects to
   * exactly the address checked here.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (addresses) => {
        const bad = addresses.find((a) => !this.allowsAddress(a.address));
        if (bad) {
          const e = new WebhookTargetRefused(
            `webhook target ${hostname} ${refusal(bad.address)}`,
            bad.address,
          ) as Error & { code?: string };
          e.code = 'EWEBHOOKTARGET';
          callback(e as NodeJS.ErrnoException, '', 0);
          return;
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
        if (usable.length === 0) {
          const e = new Error(`no IPv${wanted} address for ${hostname}`) as NodeJS.ErrnoException;
          e.code = 'ENOTFOUND';
          callback(e, '', 0);
          return;
        }
        if (options.all) {
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        } else callback(null, usable[0].address, usable[0].family);
      },
      (e: NodeJS.ErrnoException) => callback(e, '', 0),
    );
  };

  private async resolve(host: string): Promise<LookupAddress[]> {
    if (!this.resolver) {
      return new Promise((resolve, reject) =>
        systemLookup(host, { all: true }, (e, a) => (e ? reject(e) : resolve(a))),
      );
    }
    const r = this.resolver;
    const [v4, v6] = await Promise.all([
      r.resolve4(host).catch(noRecords),
      r.resolve6(host).catch(noRecords),
    ]);
    const all = [
      ...v4.map((address) => ({ address, family: 4 })),
      ...v6.map((address) => ({ address, family: 6 })),
    ];
    if (all.length === 0) {
      const e = new Error(`${host} has no A or AAAA record`) as NodeJS.ErrnoException;
      e.code = 'ENOTFOUND';
      throw e;
    }
    return all;
  }
}

function noRecords(e: NodeJS.ErrnoException): string[] {
  if (e.code === 'ENODATA' || e.code === 'ENOTFOUND') return [];
  throw e;
}

function refusal(address: string): string {
  return `resolves to ${address}, a loopback, private, link-local or reserved address (WEBHOOK_ALLOWED_NETWORKS can allow it)`;
}
