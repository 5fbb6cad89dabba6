import { WebhookAddressRefusedError, checkWebhookTarget, isForbiddenAddress } from './webhook-address';

describe('addresses a webhook may not reach', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', 'not-an-address',
    // The deprecated IPv4-compatible form: ::127.0.0.1 is ::7f00:1.
    '::127.0.0.1', '::7f00:1', '::8.8.8.8',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::6810:85e5', '::ffff:8.8.8.8'])('allows the public %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('checking a webhook URL', () => {
  const resolving = (...addresses: string[]) => async () => addresses.map((address) => ({ address }));

  it('refuses a host that resolves to a private address, saying how to allow it', async () => {
    await expect(checkWebhookTarget('https://crm.internal/hook', [], resolving('10.0.0.7'))).rejects.toThrow(/10\.0\.0\.7.*WEBHOOK_ALLOW_HOSTS/);
  });

  it('refuses when any of the addresses is private (DNS may hand out either)', async () => {
    await expect(checkWebhookTarget('https://crm.example.com/hook', [], resolving('93.184.215.14', '127.0.0.1'))).rejects.toBeInstanceOf(WebhookAddressRefusedError);
  });

  it('refuses an IP literal, IPv6 in brackets too, without asking DNS', async () => {
    const never = async () => { throw new Error('DNS asked'); };
    await expect(checkWebhookTarget('http://127.0.0.1:8080/hook', [], never)).rejects.toThrow(/127\.0\.0\.1/);
    await expect(checkWebhookTarget('http://[::ffff:7f00:1]/hook', [], never)).rejects.toBeInstanceOf(WebhookAddressRefusedError);
  });

  it('refuses a host that does not resolve', async () => {
    await expect(checkWebhookTarget('https://nowhere.invalid/hook', [], async () => { throw Object.assign(new Error('x'), { code: 'ENOTFOUND' }); })).rejects.toThrow(/cannot be resolved \(ENOTFOUND\)/);
  });

  it('lets through a public host, and a listed host or address, and gives the addresses it checked (a host listed by name: none, it is trusted)', async () => {
    await expect(checkWebhookTarget('https://crm.example.com/hook', [], resolving('93.184.215.14', '2606:4700::6810:85e5'))).resolves.toEqual(['93.184.215.14', '2606:4700::6810:85e5']);
    await expect(checkWebhookTarget('http://localhost:9000/hook', ['localhost'], resolving('127.0.0.1'))).resolves.toBeNull();
    await expect(checkWebhookTarget('http://receiver.test/hook', ['127.0.0.1'], resolving('127.0.0.1'))).resolves.toEqual(['127.0.0.1']);
    await expect(checkWebhookTarget('http://93.184.215.14/hook', [], async () => { throw new Error('DNS asked'); })).resolves.toEqual(['93.184.215.14']);
  });
});
