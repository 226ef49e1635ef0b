import * as assert from 'node:assert/strict';
import { resolveEndpoint } from '../../src/cm/endpoint';

describe('host and API path settings', () => {
  it('joins an https host and the default API path', () => {
    const result = resolveEndpoint('https://cm.contoso.com/', '/CertificateManagement/api/v1.0/');
    assert.ok(result.ok);
    assert.deepEqual(result.endpoint, { origin: 'https://cm.contoso.com', apiPath: '/CertificateManagement/api/v1.0' });
  });

  it('allows plain http only for loopback', () => {
    assert.ok(resolveEndpoint('http://127.0.0.1:8080', '/x').ok);
    assert.ok(resolveEndpoint('http://localhost:8080', '/x').ok);
    const remote = resolveEndpoint('http://cm.contoso.com', '/x');
    assert.equal(remote.ok, false);
    assert.match(remote.ok ? '' : remote.error.describe(), /https/);
  });

  it('explains a host without a scheme', () => {
    const result = resolveEndpoint('cm.contoso.com', '/x');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error.message, /not a URL/);
  });

  it('refuses a host that carries a path, and says where the path goes', () => {
    const result = resolveEndpoint('https://cm.contoso.com/CertificateManagement', '/x');
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error.hint, /mimcm\.apiPath/);
  });

  it('refuses a whole address pasted as the API path, and says where each part goes, without its password', () => {
    const result = resolveEndpoint('https://cm.contoso.com', 'https://admin:secret@cm.contoso.com/CertificateManagement/api/v1.0');
    assert.equal(result.ok, false);
    const text = result.ok ? '' : result.error.describe();
    assert.match(text, /mimcm\.apiPath "https:\/\/cm\.contoso\.com\/CertificateManagement\/api\/v1\.0" is a whole address/);
    assert.match(text, /mimcm\.host \(https:\/\/cm\.contoso\.com\).*\/CertificateManagement\/api\/v1\.0, in mimcm\.apiPath/);
    assert.doesNotMatch(text, /secret/);
  });

  it('refuses credentials in the host URL', () => {
    const result = resolveEndpoint('https://admin:secret@cm.contoso.com', '/x');
    assert.equal(result.ok, false);
    assert.doesNotMatch(result.ok ? '' : result.error.describe(), /secret/);
  });

  it('encodes API path segments and refuses dot segments', () => {
    const spaced = resolveEndpoint('https://cm.contoso.com', 'Cert Mgmt/api/v1.0');
    assert.ok(spaced.ok);
    assert.equal(spaced.endpoint.apiPath, '/Cert%20Mgmt/api/v1.0');
    assert.equal(resolveEndpoint('https://cm.contoso.com', '/a/../b').ok, false);
  });
});
