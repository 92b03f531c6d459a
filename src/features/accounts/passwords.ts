/**
 * Password hashing with argon2id (@node-rs/argon2: a prebuilt native binding, no build at install), with the
 * parameters OWASP recommends as a minimum: 19 MiB of memory, 2 passes, 1 lane. The PHC string stored keeps the
 * parameters, so they can be raised later and old hashes still verified.
 */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/**
 * Verifies a password against a stored hash; without one (unknown address), against a dummy hash, so that an
 * unknown address takes as long to refuse as a wrong password.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  dummy ??= hashPassword('maillage : aucun compte ne porte ce mot de passe');
  try {
    const valid = await verify(storedHash ?? (await dummy), password);
    return storedHash !== undefined && valid;
  } catch {
    return false;
  }
}
