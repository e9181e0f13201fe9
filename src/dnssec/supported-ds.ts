// Which DS records of a delegation a validator can use, and so whether the
// child is secure at all. RFC 4035 §5.2 and RFC 6840 §5.2: when no DS has
// both an algorithm and a digest type we support, the child is insecure,
// exactly as if the parent had proven there is no DS.

import type { ResourceRecord } from '../dns/message.js';
import { isSupportedAlgorithm } from './algorithms.js';
import { parseDs } from './dnssec-rdata.js';
import { DigestType, dsMatchesKey, isSupportedDigest } from './ds-digest.js';

/**
 * The DS records worth checking a DNSKEY against: supported algorithm and
 * digest type, and no SHA-1 digests when a stronger one is present.
 * RFC 4509 §3 says it of SHA-256 and the whole DS RRset, not per key: an
 * attacker who could forge SHA-1 digests must not be able to keep the zone
 * validating through one; SHA-384 (RFC 6605) counts as stronger too.
 * An empty result means the zone is insecure (RFC 4035 §5.2).
 */
export function supportedDsSet(dsRecords: ResourceRecord[]): ResourceRecord[] {
  const usable = dsRecords.filter((rr) => {
    const ds = rr.type === 'DS' ? parseDs(rr.data) : undefined;
    return ds !== undefined && isSupportedAlgorithm(ds.algorithm) && isSupportedDigest(ds.digestType);
  });
  const stronger = usable.some((rr) => parseDs(rr.data)!.digestType !== DigestType.SHA1);
  return stronger ? usable.filter((rr) => parseDs(rr.data)!.digestType !== DigestType.SHA1) : usable;
}

/** The DNSKEYs that one of the DS records authenticates (RFC 4035 §5.2), in DNSKEY order. */
export function keysMatchingDs(dsRecords: ResourceRecord[], dnskeys: ResourceRecord[]): ResourceRecord[] {
  const ds = supportedDsSet(dsRecords);
  return dnskeys.filter((key) => key.type === 'DNSKEY' && ds.some((d) => dsMatchesKey(d, key)));
}
