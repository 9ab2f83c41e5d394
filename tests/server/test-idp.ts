/**
 * A small OpenID Connect provider for tests, standing in for Google Workspace or Microsoft 365:
 * discovery, an authorisation page (a form asking which email to sign in as, so a real browser
 * can click through it), a token endpoint that checks the client secret, the redirect address
 * and the PKCE verifier (S256), and ID tokens signed RS256 with jose. Plain HTTP on loopback
 * (the server allows an http issuer only on this machine).
 *
 * `misbehave` makes it lie, to test that the server's checks hold: a wrong nonce, a token for
 * another client (audience), an unverified email, or a token signed by a key not in its JWKS.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  misbehave: 'wrong_nonce' | 'wrong_audience' | 'unverified_email' | 'foreign_key' | null;
  /** Token requests seen (to check PKCE was used). */
  tokenRequests: URLSearchParams[];
  stop(): Promise<void>;
}

interface Grant {
  email: string;
  clientId: string;
  redirectUri: string;
  nonce: string;
  challenge: string;
}

const escapeHtml = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startTestIdp(): Promise<TestIdp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const idp: TestIdp = {
    issuer: '',
    clientId: 'steward-dashboard',
    clientSecret: randomBytes(16).toString('hex'),
    misbehave: null,
    tokenRequests: [],
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', idp.issuer);
    const send = (status: number, type: string, body: string, headers = {}) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
      res.end(body);
    };
    const json = (status: number, value: unknown) =>
      send(status, 'application/json', JSON.stringify(value));
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', async () => {
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(200, {
          issuer: idp.issuer,
          authorization_endpoint: `${idp.issuer}/authorize`,
          token_endpoint: `${idp.issuer}/token`,
          jwks_uri: `${idp.issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['openid', 'email', 'profile'],
        });
      }
      if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
      if (url.pathname === '/authorize' && req.method === 'GET') {
        const q = url.searchParams;
        if (q.get('client_id') !== idp.clientId) return send(400, 'text/plain', 'unknown client');
        if (q.get('response_type') !== 'code') return send(400, 'text/plain', 'code flow only');
        if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
          return send(400, 'text/plain', 'PKCE (S256) is required');
        }
        const hidden = [...q.entries()]
          .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
          .join('\n');
        return send(
          200,
          'text/html; charset=utf-8',
          `<!doctype html><html lang="en-GB"><head><title>Test school account</title></head>
<body><main><h1>Test school account</h1>
<form method="post" action="/authorize">${hidden}
<label for="email">Email</label> <input id="email" name="email" type="email" required>
<button type="submit">Continue</button></form></main></body></html>`,
        );
      }
      if (url.pathname === '/authorize' && req.method === 'POST') {
        const f = new URLSearchParams(body);
        const code = randomBytes(16).toString('base64url');
        grants.set(code, {
          email: f.get('email') ?? '',
          clientId: f.get('client_id') ?? '',
          redirectUri: f.get('redirect_uri') ?? '',
          nonce: f.get('nonce') ?? '',
          challenge: f.get('code_challenge') ?? '',
        });
        const back = new URL(f.get('redirect_uri') ?? '');
        back.searchParams.set('code', code);
        back.searchParams.set('state', f.get('state') ?? '');
        back.searchParams.set('iss', idp.issuer);
        return send(302, 'text/plain', '', { Location: back.href });
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        const f = new URLSearchParams(body);
        idp.tokenRequests.push(f);
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const [id, secret] = basic
          ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent)
          : [f.get('client_id'), f.get('client_secret')];
        if (id !== idp.clientId || secret !== idp.clientSecret) {
          return json(401, { error: 'invalid_client' });
        }
        const grant = grants.get(f.get('code') ?? '');
        grants.delete(f.get('code') ?? '');
        if (!grant || grant.redirectUri !== f.get('redirect_uri') || grant.clientId !== id) {
          return json(400, { error: 'invalid_grant' });
        }
        const verifier = f.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (challenge !== grant.challenge) {
          return json(400, { error: 'invalid_grant', error_description: 'PKCE check failed' });
        }
        const m = idp.misbehave;
        const idToken = await new SignJWT({
          email: grant.email,
          email_verified: m !== 'unverified_email',
          name: grant.email.split('@')[0],
          nonce: m === 'wrong_nonce' ? 'not-the-nonce' : grant.nonce,
        })
          .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
          .setIssuer(idp.issuer)
          .setAudience(m === 'wrong_audience' ? 'another-client' : idp.clientId)
          .setSubject(createHash('sha256').update(grant.email).digest('hex').slice(0, 20))
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(m === 'foreign_key' ? foreign.privateKey : privateKey);
        return json(200, {
          access_token: randomBytes(16).toString('base64url'),
          token_type: 'Bearer',
          expires_in: 300,
          id_token: idToken,
        });
      }
      send(404, 'text/plain', 'not found');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  idp.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return idp;
}
