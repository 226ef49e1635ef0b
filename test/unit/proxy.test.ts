import * as assert from 'node:assert/strict';
import { bypassesProxy, proxyFor, type ProxySettings } from '../../src/cm/proxy';

const settings = (overrides: Partial<ProxySettings> = {}): ProxySettings => ({
  proxy: '',
  strictSSL: true,
  noProxy: [],
  support: 'override',
  ...overrides,
});
const target = new URL('https://cm.contoso.com/CertificateManagement/api/v1.0/requests');

describe('choosing a proxy', () => {
  it('uses http.proxy, and keeps its credentials out of the URL it reports', () => {
    const choice = proxyFor(target, settings({ proxy: 'http://jdoe:p%40ss@proxy.contoso.com:3128' }), {});
    assert.deepEqual(choice, { url: 'http://proxy.contoso.com:3128', username: 'jdoe', password: 'p@ss', strictSSL: true });
  });

  it('falls back to HTTPS_PROXY for https targets, and accepts a bare host:port', () => {
    assert.equal(proxyFor(target, settings(), { HTTPS_PROXY: 'proxy.contoso.com:8080' })?.url, 'http://proxy.contoso.com:8080');
    assert.equal(proxyFor(new URL('http://127.0.0.1:8080/x'), settings(), { HTTPS_PROXY: 'http://p:1' }), undefined);
  });

  it('connects directly when http.proxySupport is off', () => {
    assert.equal(proxyFor(target, settings({ proxy: 'http://proxy:3128', support: 'off' }), {}), undefined);
  });

  it('bypasses hosts named by http.noProxy or NO_PROXY', () => {
    assert.equal(proxyFor(target, settings({ proxy: 'http://proxy:3128', noProxy: ['.contoso.com'] }), {}), undefined);
    assert.equal(proxyFor(target, settings({ proxy: 'http://proxy:3128' }), { NO_PROXY: 'localhost, contoso.com' }), undefined);
  });

  it('reads NO_PROXY rules as curl does', () => {
    assert.ok(bypassesProxy(target, ['*']));
    assert.ok(bypassesProxy(target, ['*.contoso.com']));
    assert.ok(bypassesProxy(target, ['cm.contoso.com:443']));
    assert.ok(!bypassesProxy(target, ['cm.contoso.com:8443']));
    assert.ok(!bypassesProxy(target, ['notcontoso.com']));
    assert.ok(bypassesProxy(new URL('http://[::1]:8080/'), ['[::1]:8080']));
  });
});
