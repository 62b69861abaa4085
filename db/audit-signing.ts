import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * The key that signs checkpoints of the audit chain's head (Ed25519, node:crypto). A checkpoint exported and kept
 * elsewhere, or the last one stored, is what a chain cut short behind the application's back is found against.
 */
export interface AuditSigner {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The first 16 hex digits of the SHA-256 of the public key (SPKI DER): which key signed a checkpoint. */
  keyId: string;
}

export interface CheckpointHead {
  seq: bigint;
  hash: string;
  at: Date;
}

/** The configured key: PKCS8 PEM, or the base64 of its DER. Throws on anything else, or on a key that is not Ed25519. */
export function auditSignerOf(configured: string): AuditSigner {
  const text = configured.trim();
  const privateKey = text.startsWith('-----BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('is not an Ed25519 private key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex')
    .slice(0, 16);
}

export function publicKeyPem(signer: AuditSigner): string {
  return signer.publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

/** A new key as PKCS8 PEM: for the embedded default (scripts/dev-secret.ts) and for tests. */
export function generateAuditSigningKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** What is signed: the canonical JSON of the head, so anyone can check an exported checkpoint with the public key. */
export function checkpointMessage(head: CheckpointHead): Buffer {
  return Buffer.from(canonicalJson({ seq: head.seq.toString(), hash: head.hash, at: head.at.toISOString() }), 'utf8');
}

export function signCheckpoint(signer: AuditSigner, head: CheckpointHead): string {
  return sign(null, checkpointMessage(head), signer.privateKey).toString('base64');
}

export function checkpointSignatureHolds(publicKey: KeyObject, head: CheckpointHead, signature: string): boolean {
  try {
    return verify(null, checkpointMessage(head), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
