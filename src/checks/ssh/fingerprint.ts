import { createHash } from 'node:crypto';

/**
 * A host key's fingerprint as OpenSSH prints it (`ssh-keygen -lf`, `ssh -v`): `SHA256:` and the
 * unpadded base64 of the SHA-256 of the key blob as sent on the wire.
 */
export function sha256Fingerprint(keyBlob: Buffer): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The key type a host key blob names first (`ssh-ed25519`, `ssh-rsa`…), or undefined. */
export function hostKeyType(keyBlob: Buffer): string | undefined {
  if (keyBlob.length < 4) return undefined;
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || keyBlob.length < 4 + length) return undefined;
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

// 32 bytes in base64 without padding: 43 characters, the last one from a restricted set.
const SHA256_BODY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/;

/**
 * Normalises a pinned fingerprint to `SHA256:<43 base64 chars>` (the prefix in any case, a
 * trailing `=` tolerated), or returns the reason it is not one.
 */
export function parseFingerprint(text: string): string | { error: string } {
  const trimmed = text.trim();
  const match = /^sha256:(.*)$/i.exec(trimmed);
  if (match === null) {
    const hint = /^md5:|^([0-9a-f]{2}:){15}[0-9a-f]{2}$/i.test(trimmed)
      ? ' (MD5 fingerprints are not accepted; `ssh-keygen -l -E sha256 -f <key>` prints SHA256)'
      : '';
    return { error: `"${trimmed}" is not a SHA256:… fingerprint${hint}` };
  }
  const body = (match[1] ?? '').replace(/=$/, '');
  if (!SHA256_BODY.test(body))
    return {
      error: `"${trimmed}" is not a SHA-256 fingerprint: expected SHA256: and 43 base64 characters`,
    };
  return `SHA256:${body}`;
}
