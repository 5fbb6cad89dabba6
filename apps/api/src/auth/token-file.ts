import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES } from '@app/domain';
import { ConfigError, parseTokens, type ConfiguredToken } from '../config/api-config';

export interface TokenFile {
  readonly path: string;
  readonly created: boolean;
  readonly tokens: ConfiguredToken[];
}

/**
 * Without API_TOKENS, the first start writes one random token per role to <dataDir>/tokens.json
 * (mode 600) and later starts read it back.
 */
export function loadOrCreateTokenFile(dataDir: string): TokenFile {
  const path = join(dataDir, 'tokens.json');
  if (existsSync(path)) {
    let entries: unknown;
    try {
      entries = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${path} is not valid JSON (${(error as Error).message}); fix or delete it, or set API_TOKENS.`);
    }
    if (!Array.isArray(entries)) throw new ConfigError(`${path} must hold a list of {token, principalId, role}.`);
    const tokens = parseTokens(entries.map((entry: Partial<ConfiguredToken>) => `${entry.token}:${entry.principalId}:${entry.role}`).join(','));
    return { path, created: false, tokens };
  }
  mkdirSync(dataDir, { recursive: true });
  const tokens = ROLES.map((role) => ({ token: randomBytes(24).toString('base64url'), principalId: `${role}-1`, role }));
  writeFileSync(path, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { path, created: true, tokens };
}
