// The type numbers the denial proofs test bit maps for, taken from the
// codec's table so there is one source of truth for the numbering.

import { typeNumber } from '../dns/codec.js';

function known(mnemonic: string): number {
  const n = typeNumber(mnemonic);
  if (n === undefined) throw new Error(`codec does not know ${mnemonic}`);
  return n;
}

export const RRType = {
  NS: known('NS'),
  CNAME: known('CNAME'),
  SOA: known('SOA'),
  DNAME: known('DNAME'),
  DS: known('DS'),
  RRSIG: known('RRSIG'),
  NSEC: known('NSEC'),
  NSEC3: known('NSEC3'),
} as const;
