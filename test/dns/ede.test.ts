// The Extended DNS Error option on the wire (RFC 8914 §2).

import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeResponse } from '../../src/dns/codec.js';
import { EDE_OPTION_CODE, EdeCode, edeOption, MAX_EXTRA_TEXT, parseEdeOption } from '../../src/dns/ede.js';
import { emptyMessage, RCode } from '../../src/dns/message.js';

describe('RFC 8914 §2: the EDE option', () => {
  it('is option code 15: a 16-bit INFO-CODE, then the EXTRA-TEXT in UTF-8 without a NUL', () => {
    const option = edeOption({ code: EdeCode.NoReachableAuthority, text: 'zone example.com.: no server answered (timed out: 2)' });
    expect(option.code).toBe(EDE_OPTION_CODE);
    expect(option.code).toBe(15);
    expect(option.data.subarray(0, 2)).toEqual(Buffer.from([0, 22]));
    expect(option.data.subarray(2).toString('utf8')).toBe('zone example.com.: no server answered (timed out: 2)');
    expect(option.data.at(-1)).not.toBe(0);
  });

  it('has just the INFO-CODE when there is no EXTRA-TEXT (§2: it may be empty)', () => {
    expect(edeOption({ code: EdeCode.Prohibited }).data).toEqual(Buffer.from([0, 18]));
    expect(parseEdeOption(Buffer.from([0, 18]))).toEqual({ code: 18 });
  });

  it('cuts a long EXTRA-TEXT at a character boundary, so it stays valid UTF-8', () => {
    const text = `${'x'.repeat(MAX_EXTRA_TEXT - 1)}é and more`; // é is two octets, straddling the limit
    const data = edeOption({ code: EdeCode.Other, text }).data;
    expect(data.length - 2).toBe(MAX_EXTRA_TEXT - 1);
    expect(parseEdeOption(data)).toEqual({ code: 0, text: 'x'.repeat(MAX_EXTRA_TEXT - 1) });
  });

  it('travels in the OPT of a response, and fits 512 octets beside the longest question', () => {
    const response = emptyMessage(7);
    response.qr = true;
    response.rcode = RCode.SERVFAIL;
    const longest = Array.from({ length: 4 }, (_, i) => String(i).repeat(i === 3 ? 61 : 63)).join('.'); // 255 octets on the wire
    response.questions = [{ name: longest, type: 'A', class: 'IN' }];
    response.edns = { udpSize: 1232, version: 0, dnssecOk: false, extendedRcode: 0, options: [edeOption({ code: 0, text: 'y'.repeat(1000) })] };
    const wire = encodeResponse(response, 512);
    expect(wire.length).toBeLessThanOrEqual(512);
    const back = decodeMessage(wire);
    expect(back.edns?.options.map((o) => o.code)).toEqual([15]);
    expect(parseEdeOption(back.edns!.options[0].data!)).toEqual({ code: 0, text: 'y'.repeat(MAX_EXTRA_TEXT) });
  });
});
