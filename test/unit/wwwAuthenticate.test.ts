import * as assert from 'node:assert/strict';
import { handshakeChallenge, offeredSchemes } from '../../src/cm/wwwAuthenticate';

describe('reading WWW-Authenticate', () => {
  it('lists the schemes a 401 offers, ignoring their parameters', () => {
    assert.deepEqual(offeredSchemes(['Negotiate', 'NTLM']), ['Negotiate', 'NTLM']);
    assert.deepEqual(offeredSchemes('Basic realm="CM, lab", Bearer error="invalid_token"'), ['Basic', 'Bearer']);
    assert.deepEqual(offeredSchemes('Negotiate, NTLM, Negotiate'), ['Negotiate', 'NTLM']);
    assert.deepEqual(offeredSchemes(undefined), []);
  });

  it('finds the NTLM challenge whether it comes in its own header or in a combined one', () => {
    const token = Buffer.from('NTLMSSP\0challenge-bytes').toString('base64');
    assert.deepEqual(handshakeChallenge(['Negotiate', `NTLM ${token}`]), {
      scheme: 'NTLM',
      token: Buffer.from('NTLMSSP\0challenge-bytes'),
    });
    assert.deepEqual(handshakeChallenge(`Basic realm="CM", Negotiate ${token}`)?.scheme, 'Negotiate');
  });

  it('finds no challenge in a 401 that only offers the schemes', () => {
    assert.equal(handshakeChallenge('Negotiate, NTLM'), undefined);
    assert.equal(handshakeChallenge('Basic realm="x=y"'), undefined);
    assert.equal(handshakeChallenge(undefined), undefined);
  });
});
