/**
 * The address a request came from, for the login throttle and logs. X-Forwarded-For is only
 * believed when the connection comes from a proxy the admin listed (STEWARD_TRUSTED_PROXIES):
 * otherwise anyone could send the header and pick a fresh address for every guess. Behind a
 * trusted proxy the header is read from the right, skipping further trusted proxies, so the
 * first address a trusted hop saw is the client (anything left of it the client could forge).
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

export interface ClientAddresses {
  /** The client's address. */
  of(req: IncomingMessage): string;
  /** True when the request reached us through a trusted proxy (its X-Forwarded-Proto counts). */
  viaTrustedProxy(req: IncomingMessage): boolean;
}

const family = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** "::ffff:127.0.0.1" (an IPv4 client on a dual-stack socket) → "127.0.0.1". */
function plain(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

export function parseTrustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', bits] = entry.split('/');
    const type = isIP(address);
    if (type === 0) {
      throw new Error(
        `STEWARD_TRUSTED_PROXIES: "${entry}" is not an IP address or a range like 10.0.0.0/8`,
      );
    }
    if (bits === undefined) list.addAddress(address, family(address));
    else {
      const prefix = Number(bits);
      const max = type === 6 ? 128 : 32;
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
        throw new Error(`STEWARD_TRUSTED_PROXIES: "${entry}" has a prefix that is not 0–${max}`);
      }
      list.addSubnet(address, prefix, family(address));
    }
  }
  return list;
}

export function clientAddresses(trusted: readonly string[]): ClientAddresses {
  const list = parseTrustedProxies(trusted);
  const isTrusted = (address: string) =>
    trusted.length > 0 && isIP(address) !== 0 && list.check(address, family(address));
  const peer = (req: IncomingMessage) => plain(req.socket.remoteAddress ?? 'unknown');
  return {
    of(req) {
      const direct = peer(req);
      if (!isTrusted(direct)) return direct;
      const header = req.headers['x-forwarded-for'];
      const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
        .split(',')
        .map((h) => plain(h.trim()))
        .filter((h) => h !== '');
      for (let i = hops.length - 1; i >= 0; i--) {
        const hop = hops[i]!;
        if (isIP(hop) === 0) return direct; // junk: fall back to the proxy itself
        if (!isTrusted(hop)) return hop;
      }
      return hops[0] ?? direct;
    },
    viaTrustedProxy(req) {
      return isTrusted(peer(req));
    },
  };
}
