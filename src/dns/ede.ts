// Extended DNS Errors (RFC 8914): an EDNS option that tells a client *why*
// it got the RCODE it got (`dig` prints it as "; EDE: 22 (No Reachable
// Authority): (text)"). Only ever sent to a query that carried an OPT (§3).

/** The EDNS option code of an Extended DNS Error (RFC 8914 §2). */
export const EDE_OPTION_CODE = 15;

/** INFO-CODEs of RFC 8914 §4. */
export const EdeCode = {
  Other: 0,
  UnsupportedDnskeyAlgorithm: 1,
  UnsupportedDsDigestType: 2,
  StaleAnswer: 3,
  ForgedAnswer: 4,
  DnssecIndeterminate: 5,
  DnssecBogus: 6,
  SignatureExpired: 7,
  SignatureNotYetValid: 8,
  DnskeyMissing: 9,
  RrsigsMissing: 10,
  NoZoneKeyBitSet: 11,
  NsecMissing: 12,
  CachedError: 13,
  NotReady: 14,
  Blocked: 15,
  Censored: 16,
  Filtered: 17,
  Prohibited: 18,
  StaleNxdomainAnswer: 19,
  NotAuthoritative: 20,
  NotSupported: 21,
  NoReachableAuthority: 22,
  NetworkError: 23,
  InvalidData: 24,
} as const;

/** One Extended DNS Error: an INFO-CODE and optional EXTRA-TEXT for humans. */
export interface ExtendedError {
  code: number;
  text?: string;
}

/**
 * EXTRA-TEXT is cut to this many octets, so that the OPT with the EDE always
 * fits a 512-octet response beside the longest question (12 + 255 + 4
 * octets); the encoder keeps the OPT's room before anything else.
 */
export const MAX_EXTRA_TEXT = 200;

/** The option as the codec writes it: INFO-CODE (16 bits), then the UTF-8 EXTRA-TEXT, not NUL-terminated (RFC 8914 §2). */
export function edeOption(ede: ExtendedError): { code: number; data: Buffer } {
  const text = ede.text ? utf8Prefix(ede.text, MAX_EXTRA_TEXT) : Buffer.alloc(0);
  const data = Buffer.allocUnsafe(2 + text.length);
  data.writeUInt16BE(ede.code, 0);
  text.copy(data, 2);
  return { code: EDE_OPTION_CODE, data };
}

/** Reads the data of an EDE option; undefined when it is shorter than an INFO-CODE. */
export function parseEdeOption(data: Buffer): ExtendedError | undefined {
  if (data.length < 2) return undefined;
  const code = data.readUInt16BE(0);
  return data.length === 2 ? { code } : { code, text: data.toString('utf8', 2) };
}

/** The UTF-8 bytes of `text`, at most `max` of them, never ending inside a character. */
function utf8Prefix(text: string, max: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return bytes;
  let end = max;
  // Back off over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}
