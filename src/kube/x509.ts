// Serving certificates for the lab's API: a private CA and a server
// certificate for the loopback address, built in DER with Node's crypto
// (ECDSA P-256), no openssl needed. kubectl only sends the kubeconfig's
// token to an https server, so the API serves TLS with this CA in the
// kubeconfig, as kubeadm's certificates do for a real cluster.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

// --- DER -------------------------------------------------------------------

function tlv(tag: number, content: Buffer): Buffer {
  const len = content.length;
  let header: Buffer;
  if (len < 0x80) header = Buffer.from([tag, len]);
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

export const der = {
  seq: (...items: Buffer[]) => tlv(0x30, Buffer.concat(items)),
  set: (...items: Buffer[]) => tlv(0x31, Buffer.concat(items)),
  int(value: Buffer | number): Buffer {
    let b = typeof value === 'number' ? Buffer.from([value]) : value;
    while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1);
    if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return tlv(0x02, b);
  },
  oid(dotted: string): Buffer {
    const parts = dotted.split('.').map(Number);
    const out = [40 * parts[0]! + parts[1]!];
    for (const p of parts.slice(2)) {
      const stack = [p & 0x7f];
      for (let n = Math.floor(p / 128); n > 0; n = Math.floor(n / 128)) stack.unshift((n & 0x7f) | 0x80);
      out.push(...stack);
    }
    return tlv(0x06, Buffer.from(out));
  },
  utf8: (s: string) => tlv(0x0c, Buffer.from(s, 'utf8')),
  bool: (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0x00])),
  octets: (b: Buffer) => tlv(0x04, b),
  bits: (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b])),
  explicit: (n: number, content: Buffer) => tlv(0xa0 + n, content),
  implicit: (n: number, content: Buffer) => tlv(0x80 + n, content),
  time(d: Date): Buffer {
    const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
    const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
    // UTCTime until 2049, GeneralizedTime after (RFC 5280 4.1.2.5).
    return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
  },
};

const OID = {
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

function name(cn: string, org?: string): Buffer {
  const rdn = (oid: string, value: string) => der.set(der.seq(der.oid(oid), der.utf8(value)));
  return der.seq(...(org ? [rdn(OID.organization, org)] : []), rdn(OID.commonName, cn));
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octets(value));
}

function keyId(publicKey: KeyObject): Buffer {
  // RFC 5280 method 1: SHA-1 of the subjectPublicKey bits (the SPKI's last 65 bytes for P-256).
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  // Expand "::" and write 8 groups of 16 bits.
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return b;
}

interface CertSpec {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}

function certificate(spec: CertSpec): Buffer {
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const algorithm = der.seq(der.oid(OID.ecdsaWithSHA256));
  const tbs = der.seq(
    der.explicit(0, der.int(2)),
    der.int(serial),
    algorithm,
    spec.issuer,
    der.seq(der.time(spec.notBefore), der.time(spec.notAfter)),
    spec.subject,
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    der.explicit(3, der.seq(...spec.extensions)),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  return der.seq(tbs, algorithm, der.bits(signature));
}

export function pem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface ServingCerts {
  /** PEM of the CA that signed the server certificate: the kubeconfig's certificate-authority-data. */
  caCert: string;
  serverCert: string;
  serverKey: string;
}

/** A fresh CA and a server certificate for `hosts` (IP addresses and DNS names). */
export function createServingCerts(hosts: string[], commonName = 'hoplab'): ServingCerts {
  const now = Date.now();
  const notBefore = new Date(now - 60 * 60 * 1000); // tolerate clock skew
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = name(`${commonName}-ca`, 'hoplab');
  const caId = keyId(ca.publicKey);
  const caDer = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter: new Date(now + 10 * 365 * 24 * 3600 * 1000),
    extensions: [
      extension(OID.keyUsage, true, der.bits(Buffer.from([0x86]), 1)), // digitalSignature, keyCertSign, cRLSign
      extension(OID.basicConstraints, true, der.seq(der.bool(true))),
      extension(OID.subjectKeyIdentifier, false, der.octets(caId)),
    ],
  });

  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const altNames = hosts.map((h) => (isIPv4(h) || isIPv6(h) ? der.implicit(7, ipBytes(h)) : der.implicit(2, Buffer.from(h, 'ascii'))));
  const serverDer = certificate({
    subject: name(`${commonName}-apiserver`),
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    notBefore,
    notAfter: new Date(now + 365 * 24 * 3600 * 1000),
    extensions: [
      extension(OID.keyUsage, true, der.bits(Buffer.from([0x80]), 7)), // digitalSignature
      extension(OID.extKeyUsage, false, der.seq(der.oid(OID.serverAuth))),
      extension(OID.basicConstraints, true, der.seq()),
      extension(OID.authorityKeyIdentifier, false, der.seq(der.implicit(0, caId))),
      extension(OID.subjectAltName, false, der.seq(...altNames)),
    ],
  });

  return {
    caCert: pem('CERTIFICATE', caDer),
    serverCert: pem('CERTIFICATE', serverDer),
    serverKey: server.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
