import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadApiConfig } from './api-config';

describe('API configuration', () => {
  it('defaults to port 3000, ./data, synchronous FULL and the seed SLA policy', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', synchronous: 'FULL', tokens: undefined, slaPolicy: { version: 'seed-default-v1' } });
    expect(config.dataDir.endsWith('data')).toBe(true);
  });

  it('reads API_TOKENS as token:principal:role entries', () => {
    const config = loadApiConfig({ API_TOKENS: 'aaaaaaaaaaaaaaaa:li:agent, bbbbbbbbbbbbbbbb:wang:supervisor' });
    expect(config.tokens).toEqual([
      { token: 'aaaaaaaaaaaaaaaa', principalId: 'li', role: 'agent' },
      { token: 'bbbbbbbbbbbbbbbb', principalId: 'wang', role: 'supervisor' },
    ]);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ SQLITE_SYNCHRONOUS: 'OFF' }, /SQLITE_SYNCHRONOUS/],
    [{ API_TOKENS: 'short:li:agent' }, /API_TOKENS.*16/],
    [{ API_TOKENS: 'aaaaaaaaaaaaaaaa:li:janitor' }, /API_TOKENS.*role/],
    [{ API_TOKENS: 'aaaaaaaaaaaaaaaa:li' }, /API_TOKENS/],
    [{ SLA_POLICY: '/nonexistent/policy.json' }, /SLA_POLICY/],
  ])('refuses %o with a message naming the setting', (env, message) => {
    expect(() => loadApiConfig(env)).toThrow(ConfigError);
    expect(() => loadApiConfig(env)).toThrow(message);
  });

  it('loads an SLA policy file and fills in the on-site default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'complaint-desk-policy-'));
    try {
      const path = join(dir, 'policy.json');
      writeFileSync(path, JSON.stringify({ version: 'fast-2026', firstReply: 'PT30S', answer: 'PT5M', callback: 'PT2M', bySeverity: { critical: { firstReply: 'PT10S' } } }));
      expect(loadApiConfig({ SLA_POLICY: path }).slaPolicy).toMatchObject({ version: 'fast-2026', firstReply: 'PT30S', onSite: 'PT24H', bySeverity: { critical: { firstReply: 'PT10S' } } });
      writeFileSync(path, JSON.stringify({ version: 'bad', firstReply: '2 hours', answer: 'PT5M', callback: 'PT2M' }));
      expect(() => loadApiConfig({ SLA_POLICY: path })).toThrow(/firstReply/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
