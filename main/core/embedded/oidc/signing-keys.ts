// The local issuer's RS256 signing keys: generated once per state dir, kept in a 0600 file, rotated on request.
// A rotated-out key stays published in the JWKS for a grace period so tokens signed with it keep verifying.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export const SIGNING_ALG = 'RS256';

export interface StoredKey {
  kid: string;
  createdAt: string;
  /** Set when a newer key took over; the key is still published until retiredAt + grace. */
  retiredAt?: string;
  privateJwk: JWK;
}

export interface KeyRing {
  /** Newest first; keys[0] signs. */
  keys: StoredKey[];
}

export function keysFile(stateDir: string): string {
  return path.join(stateDir, 'oidc', 'signing-keys.json');
}

async function newKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { kid: randomBytes(8).toString('hex'), createdAt: new Date().toISOString(), privateJwk: { ...jwk, alg: SIGNING_ALG, use: 'sig' } };
}

async function save(file: string, ring: KeyRing): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(ring, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

/** Reads the key ring, creating it (one key) on first use; drops retired keys past their grace period. */
export async function loadOrCreateKeys(stateDir: string, graceMs: number): Promise<KeyRing> {
  const file = keysFile(stateDir);
  let ring: KeyRing | undefined;
  try {
    ring = JSON.parse(await readFile(file, 'utf8')) as KeyRing;
    if (!Array.isArray(ring.keys) || ring.keys.length === 0) ring = undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`The local OIDC issuer's key file ${file} is unreadable (${(err as Error).message}); delete it to make a new key (tokens issued before stop verifying)`);
  }
  if (!ring) {
    ring = { keys: [await newKey()] };
    await save(file, ring);
    return ring;
  }
  const kept = pruned(ring, graceMs);
  if (kept.keys.length !== ring.keys.length) await save(file, kept);
  return kept;
}

function pruned(ring: KeyRing, graceMs: number): KeyRing {
  const now = Date.now();
  return { keys: ring.keys.filter((k, i) => i === 0 || !k.retiredAt || Date.parse(k.retiredAt) + graceMs > now) };
}

/** Makes a new signing key; the previous one is retired but stays in the JWKS for `graceMs`. */
export async function rotateKeys(stateDir: string, ring: KeyRing, graceMs: number): Promise<KeyRing> {
  const now = new Date().toISOString();
  const next = pruned({ keys: [await newKey(), ...ring.keys.map((k) => (k.retiredAt ? k : { ...k, retiredAt: now }))] }, graceMs);
  await save(keysFile(stateDir), next);
  return next;
}

/** The public half of every published key, as a JWKS document. */
export function publicJwks(ring: KeyRing): { keys: JWK[] } {
  return {
    keys: ring.keys.map((k) => {
      const { kty, n, e } = k.privateJwk;
      return { kty, n, e, kid: k.kid, alg: SIGNING_ALG, use: 'sig' };
    }),
  };
}

export async function signingKey(ring: KeyRing): Promise<{ kid: string; key: CryptoKey | Uint8Array }> {
  const k = ring.keys[0]!;
  return { kid: k.kid, key: await importJWK(k.privateJwk, SIGNING_ALG) };
}
