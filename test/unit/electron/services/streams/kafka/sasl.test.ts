// SASL mechanisms: the PLAIN frame, and SCRAM against the RFC 7677 (SHA-256) test vector plus a
// SHA-512 exchange checked against an independent server-side computation.
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Plain, SaslError, Scram, createMechanism } from '../../../../../../electron/services/streams/kafka/sasl';

describe('PLAIN', () => {
  it('is one message: NUL user NUL password, and done', async () => {
    const m = new Plain('alice', 'pä55');
    expect(m.name).toBe('PLAIN');
    expect(m.first()).toEqual(Buffer.from('\0alice\0pä55', 'utf8'));
    expect(await m.next()).toBeNull();
    expect(createMechanism({ mechanism: 'plain', username: 'u', password: 'p' }).first().toString()).toBe('\0u\0p');
  });
});

describe('SCRAM', () => {
  it('SCRAM-SHA-256 reproduces the RFC 7677 example exchange', async () => {
    const m = new Scram('sha256', 'user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');
    expect(m.name).toBe('SCRAM-SHA-256');
    expect(m.first().toString()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    const final = await m.next(Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'));
    expect(final!.toString()).toBe('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(await m.next(Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBeNull();
  });

  it('SCRAM-SHA-512: the proof verifies against the stored key, the server signature is checked', async () => {
    const password = 'dpx-test-scram-password';
    const salt = Buffer.from('0123456789abcdef');
    const m = createMechanism({ mechanism: 'scram-sha-512', username: 'a=b,c', password });
    const first = m.first().toString();
    expect(first).toMatch(/^n,,n=a=3Db=2Cc,r=[A-Za-z0-9+/=]+$/);
    const clientFirstBare = first.slice(3);
    const nonce = /r=(.*)$/.exec(first)![1]! + 'SERVER';
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=4096`;
    const final = (await m.next(Buffer.from(serverFirst)))!.toString();
    const [withoutProof, proofB64] = final.split(',p=') as [string, string];
    expect(withoutProof).toBe(`c=biws,r=${nonce}`);
    // the server's side (RFC 5802 section 3)
    const salted = pbkdf2Sync(password, salt, 4096, 64, 'sha512');
    const storedKey = createHash('sha512').update(createHmac('sha512', salted).update('Client Key').digest()).digest();
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac('sha512', storedKey).update(authMessage).digest();
    const proof = Buffer.from(proofB64, 'base64');
    const clientKey = Buffer.from(proof.map((x, i) => x ^ signature[i]!));
    expect(createHash('sha512').update(clientKey).digest().equals(storedKey)).toBe(true);
    const serverSignature = createHmac('sha512', createHmac('sha512', salted).update('Server Key').digest()).update(authMessage).digest();
    expect(await m.next(Buffer.from(`v=${serverSignature.toString('base64')}`))).toBeNull();
  });

  it('refuses a wrong server signature, a foreign nonce, few iterations and server errors', async () => {
    const serverFirst = 'r=abcXYZ,s=c2FsdA==,i=4096';
    const wrongSig = new Scram('sha256', 'u', 'p', 'abc');
    await wrongSig.next(Buffer.from(serverFirst));
    await expect(wrongSig.next(Buffer.from('v=AAAA'))).rejects.toThrow(/server signature does not match/);
    await expect(new Scram('sha256', 'u', 'p', 'abc').next(Buffer.from('r=zzz,s=c2FsdA==,i=4096'))).rejects.toThrow(/nonce/);
    await expect(new Scram('sha256', 'u', 'p', 'abc').next(Buffer.from('r=abcd,s=c2FsdA==,i=10'))).rejects.toThrow(/iterations/);
    await expect(new Scram('sha512', 'u', 'p', 'abc').next(Buffer.from('e=invalid-proof'))).rejects.toThrow(SaslError);
  });
});
