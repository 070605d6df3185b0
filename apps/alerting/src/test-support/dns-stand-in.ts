/**
 * A real DNS server on 127.0.0.1 (UDP, RFC 1035 wire format) that answers A and AAAA queries
 * from a table the test can change between queries, e.g. to play a rebinding attacker.
 */
import { createSocket as udpSocket, type RemoteInfo } from 'node:dgram';
import { isIPv4, isIPv6 } from 'node:net';

export interface DnsStandIn {
  /** `127.0.0.1:<port>`, for WEBHOOK_DNS_SERVERS. */
  server: string;
  /** name → addresses (IPv4 and IPv6); unknown names get NXDOMAIN. */
  records: Map<string, string[]>;
  /** Queries seen, as `name/A` or `name/AAAA`. */
  queries: string[];
  close(): Promise<void>;
}

export async function startDnsStandIn(records: Record<string, string[]> = {}): Promise<DnsStandIn> {
  const table = new Map(Object.entries(records));
  const queries: string[] = [];
  const socket = udpSocket('udp4');
  socket.on('message', (msg: Buffer, peer: RemoteInfo) => {
    const q = parseQuestion(msg);
    if (!q) return;
    const type = q.qtype === 1 ? 'A' : q.qtype === 28 ? 'AAAA' : String(q.qtype);
    queries.push(`${q.name}/${type}`);
    const known = table.get(q.name.toLowerCase());
    const answers = (known ?? []).filter((a) =>
      q.qtype === 1 ? isIPv4(a) : q.qtype === 28 && isIPv6(a),
    );
    socket.send(answer(msg, q.end, known ? 0 : 3, q.qtype, answers), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    records: table,
    queries,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

function parseQuestion(msg: Buffer): { name: string; qtype: number; end: number } | null {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return null;
  const labels: string[] = [];
  let i = 12;
  while (i < msg.length && msg[i] !== 0) {
    const len = msg[i];
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
  if (i + 5 > msg.length) return null;
  return { name: labels.join('.'), qtype: msg.readUInt16BE(i + 1), end: i + 5 };
}

/** The query's header and question, then one answer record per address (name by pointer). */
function answer(
  query: Buffer,
  questionEnd: number,
  rcode: number,
  qtype: number,
  addrs: string[],
): Buffer {
  const head = Buffer.from(query.subarray(0, questionEnd));
  head.writeUInt16BE(0x8180 | rcode, 2); // response, recursion desired + available
  head.writeUInt16BE(addrs.length, 6); // ANCOUNT
  head.writeUInt16BE(0, 8);
  head.writeUInt16BE(0, 10);
  const records = addrs.map((a) => {
    const rdata = qtype === 1 ? Buffer.from(a.split('.').map(Number)) : ipv6Bytes(a);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(0, 6); // TTL 0: every lookup asks again
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([head, ...records]);
}

function ipv6Bytes(a: string): Buffer {
  const [l, r = ''] = a.split('::');
  const left = l ? l.split(':') : [];
  const right = a.includes('::') && r ? r.split(':') : [];
  const groups = a.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}
