// The DNSSEC settings as issue 9 names them: `--dnssec validate|off` (key
// dnssec.mode, HOPS_DNSSEC), `--trust-anchor FILE` (repeatable, key
// dnssec.trustAnchors), `--negative-trust-anchor NAME` (repeatable, key
// dnssec.negativeTrustAnchors). Outside suites (Deckard's template) rely on them.

import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, INSTALL_DIR, loadConfig, parseArgs, unknownEnvironmentVariables, usage } from '../../src/config.js';

const load = (argv: string[], env: NodeJS.ProcessEnv = {}) => loadConfig(parseArgs(argv), env);

describe('dnssec settings', () => {
  it('validate by default, anchored at the shipped root anchor file, no NTAs', () => {
    const { dnssec } = load([]);
    expect(dnssec).toEqual({ mode: 'validate', trustAnchors: [join(INSTALL_DIR, 'trust-anchors', 'root.ds')], negativeTrustAnchors: [] });
  });

  it('--dnssec off, HOPS_DNSSEC=off, and the flag wins over the environment', () => {
    expect(load(['--dnssec', 'off']).dnssec.mode).toBe('off');
    expect(load([], { HOPS_DNSSEC: 'off' }).dnssec.mode).toBe('off');
    expect(load(['--dnssec', 'validate'], { HOPS_DNSSEC: 'off' }).dnssec.mode).toBe('validate');
    expect(unknownEnvironmentVariables({ HOPS_DNSSEC: 'off' })).toEqual([]);
  });

  it('a bad mode names the setting', () => {
    expect(() => load(['--dnssec', 'maybe'])).toThrow(ConfigError);
    expect(() => load(['--dnssec', 'maybe'])).toThrow(/--dnssec: invalid value "maybe" \(expected validate or off\)/);
    expect(() => load([], { HOPS_DNSSEC: 'yes' })).toThrow(/environment HOPS_DNSSEC/);
  });

  it('--trust-anchor is repeatable and replaces the default; paths resolve against the working directory', () => {
    const { dnssec } = load(['--trust-anchor', 'a.ds', '--trust-anchor', '/etc/b.key']);
    expect(dnssec.trustAnchors).toEqual([join(process.cwd(), 'a.ds'), '/etc/b.key']);
  });

  it('--negative-trust-anchor is repeatable and normalizes names (RFC 7646)', () => {
    const { dnssec } = load(['--negative-trust-anchor', 'Broken.Example.', '--negative-trust-anchor', 'other.test']);
    expect(dnssec.negativeTrustAnchors).toEqual(['broken.example', 'other.test']);
    expect(() => load(['--negative-trust-anchor', 'a..b'])).toThrow(/--negative-trust-anchor/);
  });

  it('config file keys dnssec.mode, dnssec.trustAnchors (relative to the file), dnssec.negativeTrustAnchors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hops-dnssec-config-'));
    const file = join(dir, 'hops.json');
    writeFileSync(file, JSON.stringify({ dnssec: { mode: 'validate', trustAnchors: ['ta.ds'], negativeTrustAnchors: ['nta.test'] } }));
    const { dnssec } = load(['--config', file]);
    expect(dnssec).toEqual({ mode: 'validate', trustAnchors: [join(dir, 'ta.ds')], negativeTrustAnchors: ['nta.test'] });
    writeFileSync(file, JSON.stringify({ dnssec: { mode: 'off', anchors: [] } }));
    expect(() => load(['--config', file])).toThrow(/unknown key "dnssec.anchors"/);
  });

  it('--help lists the three flags with their keys and variables', () => {
    const text = usage();
    expect(text).toMatch(/--dnssec VALUE\s+\(key dnssec.mode, env HOPS_DNSSEC\)/);
    expect(text).toMatch(/--trust-anchor VALUE\s+\(key dnssec.trustAnchors, env HOPS_DNSSEC_TRUST_ANCHORS\), repeatable/);
    expect(text).toMatch(/--negative-trust-anchor VALUE\s+\(key dnssec.negativeTrustAnchors, env HOPS_DNSSEC_NEGATIVE_TRUST_ANCHORS\), repeatable/);
  });
});
