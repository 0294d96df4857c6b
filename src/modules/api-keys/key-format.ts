// Paddle's API key format (keys made after May 2025):
//   pdl_{sdbx|live}_apikey_<26: the key's apikey_ id>_<22: random secret>_<3: checksum>
// Only a SHA-256 of the whole key is stored, so a leaked database leaks no usable key.
import { createHash, hash, randomBytes } from 'node:crypto';
import type { Environment } from '../../db/tables.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PATTERN = /^pdl_(live|sdbx)_apikey_([a-z\d]{26})_([a-zA-Z\d]{22})_([a-zA-Z\d]{3})$/;

function randomBase62(length: number): string {
  // @NOTE rejection sampling: 248 is the largest multiple of 62 below 256, so every character is equally likely.
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

function checksum(body: string): string {
  const digest = createHash('sha256').update(body).digest();
  return [0, 1, 2].map((i) => BASE62[(digest[i] as number) % 62]).join('');
}

export function environmentMarker(environment: Environment): 'sdbx' | 'live' {
  return environment === 'sandbox' ? 'sdbx' : 'live';
}

/** A new secret key for the api key whose id is `apikey_<ulid>`. */
export function generateApiKey(environment: Environment, apiKeyId: string): string {
  const body = `pdl_${environmentMarker(environment)}_apikey_${apiKeyId.slice('apikey_'.length)}_${randomBase62(22)}`;
  return `${body}_${checksum(body)}`;
}

export function hashApiKey(key: string): string {
  // @NOTE the one-shot hash is twice as fast as createHash for a short input, and every request hashes its key.
  return hash('sha256', key, 'hex');
}

export interface ParsedApiKey {
  environment: Environment;
  apiKeyId: string;
}

/** Splits a key of Paddle's format; undefined for anything else (then it can only be a wrong key). */
export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = API_KEY_PATTERN.exec(key);
  if (!match) return undefined;
  return { environment: match[1] === 'sdbx' ? 'sandbox' : 'live', apiKeyId: `apikey_${match[2]}` };
}
