import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  derToP1363,
  fromBase64,
  generateRuleListKeyPair,
  publicKeyOf,
  type RuleListKeyPair,
  signRuleList,
  toBase64,
  verifyRuleList,
} from '../../../lib/rule-list/signature.ts';

const list = (version: number) =>
  new TextEncoder().encode(
    JSON.stringify({
      format: 'steward.rule-list/1',
      version,
      issuedAt: '2026-08-23T09:00:00Z',
      categories: { gambling: { domains: ['bet365.com'] } },
    }),
  );

let keys: RuleListKeyPair;
let other: RuleListKeyPair;
beforeAll(async () => {
  keys = await generateRuleListKeyPair();
  other = await generateRuleListKeyPair();
});

describe('rule-list signatures', () => {
  it('verifies a list signed with the matching key', async () => {
    const bytes = list(1);
    const signature = await signRuleList(bytes, keys.privateKeyPem);
    expect(fromBase64(signature)).toHaveLength(64);
    expect(await verifyRuleList(bytes, signature, keys.publicKey)).toEqual({ ok: true });
    // The .sig file may end with a line end; the policy value may be a PEM block.
    const pem = `-----BEGIN PUBLIC KEY-----\n${keys.publicKey}\n-----END PUBLIC KEY-----\n`;
    expect(await verifyRuleList(bytes, `${signature}\n`, pem)).toEqual({ ok: true });
  });

  it('rejects a list with any single byte changed', async () => {
    const bytes = list(1);
    const signature = await signRuleList(bytes, keys.privateKeyPem);
    for (const index of [0, 10, bytes.length >> 1, bytes.length - 1]) {
      const tampered = bytes.slice();
      tampered[index] = tampered[index]! ^ 0x01;
      const result = await verifyRuleList(tampered, signature, keys.publicKey);
      expect(result.ok, `byte ${index}`).toBe(false);
      if (!result.ok) expect(result.reason).toContain('does not match');
    }
  });

  it('rejects a truncated list, an extended list and a truncated signature', async () => {
    const bytes = list(1);
    const signature = await signRuleList(bytes, keys.privateKeyPem);
    expect(
      (await verifyRuleList(bytes.subarray(0, bytes.length - 1), signature, keys.publicKey)).ok,
    ).toBe(false);
    const extended = new Uint8Array([...bytes, 0x20]);
    expect((await verifyRuleList(extended, signature, keys.publicKey)).ok).toBe(false);
    const short = toBase64(fromBase64(signature)!.subarray(0, 40));
    const result = await verifyRuleList(bytes, short, keys.publicKey);
    expect(result).toEqual({
      ok: false,
      reason: 'The signature is 40 bytes, not an ECDSA P-256 signature (64 bytes, or DER).',
    });
  });

  it('rejects a list signed with another key', async () => {
    const bytes = list(1);
    const signature = await signRuleList(bytes, other.privateKeyPem);
    const result = await verifyRuleList(bytes, signature, keys.publicKey);
    expect(result.ok).toBe(false);
  });

  it('rejects the signature of another version of the list', async () => {
    const old = await signRuleList(list(1), keys.privateKeyPem);
    expect((await verifyRuleList(list(2), old, keys.publicKey)).ok).toBe(false);
  });

  it('explains an unusable key or signature without throwing', async () => {
    const bytes = list(1);
    const signature = await signRuleList(bytes, keys.privateKeyPem);
    expect(await verifyRuleList(bytes, signature, 'not base64!')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('public key is not usable'),
    });
    expect(await verifyRuleList(bytes, signature, toBase64(new Uint8Array(91)))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not an ECDSA P-256 public key'),
    });
    expect(await verifyRuleList(bytes, '', keys.publicKey)).toMatchObject({ ok: false });
    expect(await verifyRuleList(bytes, '%%%', keys.publicKey)).toMatchObject({ ok: false });
  });

  it('gives the public key of a private key', async () => {
    expect(await publicKeyOf(keys.privateKeyPem)).toBe(keys.publicKey);
  });

  it('refuses an old-style EC private key with a way to convert it', async () => {
    await expect(
      signRuleList(list(1), '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----'),
    ).rejects.toThrow('openssl pkcs8 -topk8');
  });

  it('accepts DER signatures such as openssl makes, with the same key', async () => {
    let dir: string;
    try {
      execFileSync('openssl', ['version']);
      dir = mkdtempSync(path.join(tmpdir(), 'steward-sig-'));
    } catch {
      console.warn('openssl not found: DER interoperability not tested');
      return;
    }
    const bytes = list(3);
    writeFileSync(path.join(dir, 'key.pem'), keys.privateKeyPem);
    writeFileSync(path.join(dir, 'list.json'), bytes);
    execFileSync(
      'openssl',
      ['dgst', '-sha256', '-sign', 'key.pem', '-out', 'list.der', 'list.json'],
      { cwd: dir },
    );
    const der = readFileSync(path.join(dir, 'list.der'));
    expect(der[0]).toBe(0x30);
    expect(await verifyRuleList(bytes, toBase64(der), keys.publicKey)).toEqual({ ok: true });
    // And openssl verifies what WebCrypto signed once converted the other way: same key, same hash.
    const pub = execFileSync('openssl', ['pkey', '-in', 'key.pem', '-pubout', '-outform', 'DER'], {
      cwd: dir,
    });
    expect(toBase64(pub)).toBe(keys.publicKey);
  });

  it('derToP1363 pads short integers and strips DER sign bytes', () => {
    const r = new Uint8Array(32).fill(0x80);
    const s = new Uint8Array(31).fill(0x01);
    const der = new Uint8Array([0x30, 4 + 33 + 31, 0x02, 33, 0x00, ...r, 0x02, 31, ...s]);
    const out = derToP1363(der)!;
    expect([...out.subarray(0, 32)]).toEqual([...r]);
    expect(out[32]).toBe(0);
    expect([...out.subarray(33)]).toEqual([...s]);
    expect(derToP1363(new Uint8Array([0x31, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
  });
});
