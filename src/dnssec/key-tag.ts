// The key tag of a DNSKEY (RFC 4034 Appendix B): a 16-bit checksum that lets
// an RRSIG or DS point at a key cheaply. It is not unique (anyone can make
// keys collide, which is what KeyTrap exploits), so it only narrows a search.

/** RSAMD5 (RFC 4034 Appendix B.1) computes its tag differently. */
const RSAMD5 = 1;

/** The key tag of a DNSKEY, from its whole RDATA (flags, protocol, algorithm, key). */
export function keyTag(dnskeyRdata: Buffer): number {
  if (dnskeyRdata.length >= 4 && dnskeyRdata[3] === RSAMD5) {
    // Appendix B.1: the most significant 16 of the least significant 24 bits
    // of the modulus, i.e. the third- and second-to-last octets of the key.
    if (dnskeyRdata.length < 7) return 0;
    return dnskeyRdata.readUInt16BE(dnskeyRdata.length - 3);
  }
  let acc = 0;
  for (let i = 0; i < dnskeyRdata.length; i++) {
    acc += (i & 1) === 0 ? dnskeyRdata[i]! << 8 : dnskeyRdata[i]!;
  }
  acc += (acc >>> 16) & 0xffff;
  return acc & 0xffff;
}
