import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

/** argon2id cost: OWASP's 19 MiB, 2 passes, 1 lane (~30 ms here; login is throttled anyway). */
export interface Argon2Params {
  memoryKiB: number;
  passes: number;
  parallelism: number;
}

export const PASSWORD_PARAMS: Argon2Params = { memoryKiB: 19_456, passes: 2, parallelism: 1 };

const TAG_BYTES = 32;
const SALT_BYTES = 16;

/** Stored hashes name their own cost; these bounds stop a corrupt row from asking for gigabytes. */
const LIMITS = { memoryKiB: [8, 1_048_576], passes: [1, 16], parallelism: [1, 16] } as const;

const ENCODED = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function derive(password: string, salt: Buffer, params: Argon2Params): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2(
      'argon2id',
      {
        message: password,
        nonce: salt,
        memory: params.memoryKiB,
        passes: params.passes,
        parallelism: params.parallelism,
        tagLength: TAG_BYTES,
      },
      (error, derived) => (error === null ? resolve(derived) : reject(error)),
    );
  });
}

const b64 = (buffer: Buffer): string => buffer.toString('base64').replace(/=+$/, '');

/** Hashes a password: `$argon2id$v=19$m=…,t=…,p=…$salt$hash` (the PHC string format). */
export async function hashPassword(
  password: string,
  params: Argon2Params = PASSWORD_PARAMS,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const tag = await derive(password, salt, params);
  return `$argon2id$v=19$m=${params.memoryKiB},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(tag)}`;
}

function within(value: number, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

/** Parses an encoded hash; undefined when it is not one this code wrote. */
function parseEncoded(
  encoded: string,
): { params: Argon2Params; salt: Buffer; tag: Buffer } | undefined {
  const match = ENCODED.exec(encoded);
  if (match === null) return undefined;
  const [, m, t, p, salt, tag] = match;
  const params = { memoryKiB: Number(m), passes: Number(t), parallelism: Number(p) };
  if (
    !within(params.memoryKiB, LIMITS.memoryKiB) ||
    !within(params.passes, LIMITS.passes) ||
    !within(params.parallelism, LIMITS.parallelism)
  )
    return undefined;
  return {
    params,
    salt: Buffer.from(salt ?? '', 'base64'),
    tag: Buffer.from(tag ?? '', 'base64'),
  };
}

/** True when `password` matches the encoded hash; false for any hash it cannot read. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseEncoded(encoded);
  if (parsed === undefined || parsed.salt.length < 8 || parsed.tag.length !== TAG_BYTES)
    return false;
  const tag = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(tag, parsed.tag);
}

/**
 * A hash of nothing anyone knows: checked against when a user name does not exist, so a wrong
 * name costs as long as a wrong password and names cannot be probed by timing.
 */
export const DECOY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$opiKOolVMQ6PI2RNAJqflw$vVnNtG/T2vicbpg+2kswg76tY0w5O6JdTluZLKgXtfs';
