// The OpenID provider as an independent relying party sees it: panva's openid-client (OpenID-certified
// RP library) and oauth4webapi, used as their documentation says, with no Tsunagu-specific code except
// the citizen filling in the sign-in and consent forms. Every check prints "ok <name>" or
// "FAIL <name>: <why>"; the exit code is 1 if any failed. The last line is "RESULT <json>" with what
// the Java test checks on the provider's side (the session ids that back-channel logout must name).
//
// Configuration, as JSON in TSUNAGU_INTEROP:
//   { issuer, redirectUri, postLogoutRedirectUri, email, password,
//     basic: {id, secret}, post: {id, secret}, keyJwt: {id, privateJwk}, public: {id}, service: {id, secret, scope} }
import * as client from 'openid-client';
import * as oauth from 'oauth4webapi';
import * as jose from 'jose';

const cfg = JSON.parse(process.env.TSUNAGU_INTEROP);
const ISSUER = new URL(cfg.issuer);
const result = { sids: [] };
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok ${name}`);
  } catch (e) {
    failed++;
    const detail = [e.code, e.error, e.error_description, e.message].filter(Boolean).join(' | ');
    console.log(`FAIL ${name}: ${detail}`);
  }
}

function expect(condition, what) {
  if (!condition) throw new Error(what);
}

async function rejects(promise, error, what) {
  try {
    await promise;
  } catch (e) {
    // a 401 with WWW-Authenticate comes as a challenge error: its error is a parameter of the challenge
    // (RFC 6750 at userinfo) or, where the challenge only names the scheme (RFC 6749 §5.2), in the body
    let got = e.error ?? e.cause?.find?.((c) => c.parameters?.error)?.parameters?.error;
    if (!got && e.response && !e.response.bodyUsed) got = (await e.response.json().catch(() => ({}))).error;
    expect(got === error, `${what}: expected ${error}, got ${got ?? e.code ?? e.message} ${JSON.stringify(e.cause ?? '')}`);
    return e;
  }
  throw new Error(`${what}: accepted`);
}

// http://127.0.0.1 is not https: openid-client refuses it unless told, as any deployment behind TLS would not need
const insecure = { execute: [client.allowInsecureRequests] };
const discover = (id, metadata, auth) => client.discovery(ISSUER, id, metadata, auth, insecure);

/** A browser with a cookie jar: follows redirects and submits the provider's forms as a citizen would. */
class Browser {
  cookies = new Map();

  async fetch(url, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0];
      const at = pair.indexOf('=');
      this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1));
    }
    return res;
  }

  /** Follows the authorization flow until the provider sends the browser to the client's redirect URI. */
  async authorize(url, { approveOptional = true } = {}) {
    let method = 'GET';
    let body;
    for (let hop = 0; hop < 12; hop++) {
      if (url.startsWith(cfg.redirectUri)) return new URL(url);
      const res = await this.fetch(url, method === 'POST'
        ? { method, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {});
      method = 'GET';
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location'), url).href;
        continue;
      }
      const html = await res.text();
      expect(res.status === 200, `${res.status} at ${url}`);
      const form = html.match(/<form method="post" action="([^"]+)" class="card" id="oidc-[a-z-]+">([\s\S]*?)<\/form>/);
      expect(form, `no sign-in or consent form at ${url}`);
      const fields = new URLSearchParams();
      for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(m[1], m[2]);
      if (/name="password"/.test(form[2])) {
        fields.set('email', cfg.email);
        fields.set('password', cfg.password);
      }
      if (approveOptional) {
        for (const m of form[2].matchAll(/<input type="checkbox" name="([^"]+)" value="([^"]+)"/g)) fields.append(m[1], m[2]);
      }
      const button = form[2].match(/<button type="submit" name="([^"]+)" value="([^"]+)"/);
      if (button) fields.set(button[1], button[2]);
      url = new URL(form[1].replaceAll('&amp;', '&'), url).href;
      method = 'POST';
      body = fields.toString();
    }
    throw new Error('the flow did not come back to the redirect URI');
  }
}

/** The authorization code flow as openid-client's documentation shows it, with PKCE, state and nonce. */
async function signIn(config, scope, extra = {}, { pushed = false, DPoP } = {}) {
  const browser = new Browser();
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const parameters = {
    redirect_uri: cfg.redirectUri, scope, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...extra,
  };
  // pushed: the parameters go to the pushed authorization request endpoint (RFC 9126), the browser gets client_id and request_uri
  const url = pushed ? await client.buildAuthorizationUrlWithPAR(config, parameters, { DPoP })
    : client.buildAuthorizationUrl(config, parameters);
  if (pushed) {
    expect([...url.searchParams.keys()].sort().join() === 'client_id,request_uri', `pushed authorization URL ${url}`);
  }
  const back = await browser.authorize(url.href);
  expect(back.searchParams.get('iss') === cfg.issuer, `iss in the authorization response: ${back.search}`);
  const tokens = await client.authorizationCodeGrant(config, back, {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  }, undefined, { DPoP });
  return { tokens, browser };
}

const jwks = jose.createRemoteJWKSet(new URL('/oauth2/jwks', ISSUER));

let basic;
let signedIn;
await check('discovery', async () => {
  basic = await discover(cfg.basic.id, undefined, client.ClientSecretBasic(cfg.basic.secret));
  const m = basic.serverMetadata();
  expect(m.issuer === cfg.issuer, `issuer ${m.issuer}`);
  expect(m.code_challenge_methods_supported?.includes('S256'), 'S256 advertised');
  expect(m.authorization_response_iss_parameter_supported === true, 'RFC 9207 advertised');
});

await check('code flow with client_secret_basic', async () => {
  signedIn = await signIn(basic, 'openid profile email');
  const claims = signedIn.tokens.claims();
  expect(claims.sub && claims.auth_time && claims.sid && claims.at_hash, `claims ${JSON.stringify(claims)}`);
  result.sids.push(claims.sid);
});

await check('ID token signature RS256 against the JWKS', async () => {
  const { protectedHeader } = await jose.jwtVerify(signedIn.tokens.id_token, jwks,
    { issuer: cfg.issuer, audience: cfg.basic.id, algorithms: ['RS256'] });
  expect(protectedHeader.kid, 'kid in the header');
});

await check('userinfo', async () => {
  const claims = signedIn.tokens.claims();
  const info = await client.fetchUserInfo(basic, signedIn.tokens.access_token, claims.sub);
  expect(info.email === cfg.email && info.email_verified === true, `userinfo ${JSON.stringify(info)}`);
  expect(typeof info.name === 'string', 'name released by the profile scope');
});

await check('userinfo refuses a tampered access token', async () => {
  const [h, p, s] = signedIn.tokens.access_token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  claims.scope = 'openid profile email address';
  const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
  const e = await rejects(client.fetchUserInfo(basic, forged, client.skipSubjectCheck), 'invalid_token', 'tampered token');
  expect(e.response?.status === 401, `status ${e.response?.status}`);
});

await check('access token is an RFC 9068 JWT (oauth4webapi resource-server validation)', async () => {
  const header = jose.decodeProtectedHeader(signedIn.tokens.access_token);
  expect(header.typ === 'at+jwt', `typ ${header.typ}`);
  const { aud } = jose.decodeJwt(signedIn.tokens.access_token);
  const request = new Request('https://resource.example/api', { headers: { authorization: `Bearer ${signedIn.tokens.access_token}` } });
  const claims = await oauth.validateJwtAccessToken(basic.serverMetadata(), request, Array.isArray(aud) ? aud[0] : aud,
    { [oauth.allowInsecureRequests]: true });
  expect(claims.client_id === cfg.basic.id && claims.sub === signedIn.tokens.claims().sub, `claims ${JSON.stringify(claims)}`);
});

await check('refresh rotates, and reuse revokes the family', async () => {
  const first = signedIn.tokens.refresh_token;
  expect(first, 'a refresh token');
  const next = await client.refreshTokenGrant(basic, first);
  expect(next.refresh_token && next.refresh_token !== first, 'a new refresh token');
  await rejects(client.refreshTokenGrant(basic, first), 'invalid_grant', 'reuse of the old refresh token');
  await rejects(client.refreshTokenGrant(basic, next.refresh_token), 'invalid_grant', 'the family after reuse');
});

await check('introspection and revocation', async () => {
  const { tokens } = await signIn(basic, 'openid email');
  result.sids.push(tokens.claims().sid);
  const access = await client.tokenIntrospection(basic, tokens.access_token);
  expect(access.active === true && access.client_id === cfg.basic.id, `introspection ${JSON.stringify(access)}`);
  const refresh = await client.tokenIntrospection(basic, tokens.refresh_token, { token_type_hint: 'refresh_token' });
  expect(refresh.active === true, 'refresh token active');
  await client.tokenRevocation(basic, tokens.refresh_token, { token_type_hint: 'refresh_token' });
  expect((await client.tokenIntrospection(basic, tokens.refresh_token)).active === false, 'revoked refresh token inactive');
  await client.tokenRevocation(basic, 'never-issued');
  const inactive = await client.tokenIntrospection(basic, 'never-issued');
  expect(inactive.active === false && Object.keys(inactive).length === 1, `unknown token ${JSON.stringify(inactive)}`);
});

await check('wrong client secret is invalid_client', async () => {
  const wrong = await discover(cfg.basic.id, undefined, client.ClientSecretBasic('not-the-secret'));
  const e = await rejects(client.refreshTokenGrant(wrong, 'whatever'), 'invalid_client', 'wrong secret');
  expect((e.status ?? e.response?.status) === 401, `status ${e.status ?? e.response?.status}`);
});

await check('prompt=none without a session answers login_required', async () => {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(basic, {
    redirect_uri: cfg.redirectUri, scope: 'openid', state, prompt: 'none',
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const back = await new Browser().authorize(url.href);
  await rejects(client.authorizationCodeGrant(basic, back, { pkceCodeVerifier: verifier, expectedState: state }),
    'login_required', 'prompt=none');
});

await check('RP-initiated logout', async () => {
  const url = client.buildEndSessionUrl(basic, {
    id_token_hint: signedIn.tokens.id_token, post_logout_redirect_uri: cfg.postLogoutRedirectUri, state: 'bye',
  });
  let res = await signedIn.browser.fetch(url.href);
  for (let hop = 0; hop < 5 && res.status === 200; hop++) {
    // a confirmation page: submit it as the citizen would
    const html = await res.text();
    const form = html.match(/<form method="post" action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/);
    expect(form, 'a logout confirmation form');
    const fields = new URLSearchParams();
    for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.append(m[1], m[2]);
    res = await signedIn.browser.fetch(new URL(form[1].replaceAll('&amp;', '&'), url).href,
      { method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
  expect(res.status >= 300 && res.status < 400, `status ${res.status}`);
  const to = new URL(res.headers.get('location'));
  expect(to.href.startsWith(cfg.postLogoutRedirectUri) && to.searchParams.get('state') === 'bye', `sent to ${to}`);
});

await check('private_key_jwt client with ES256 ID tokens', async () => {
  const key = await jose.importJWK(cfg.keyJwt.privateJwk, 'ES256');
  const config = await discover(cfg.keyJwt.id, { id_token_signed_response_alg: 'ES256' },
    client.PrivateKeyJwt(key, { kid: cfg.keyJwt.privateJwk.kid }));
  const { tokens } = await signIn(config, 'openid email');
  await jose.jwtVerify(tokens.id_token, jwks, { issuer: cfg.issuer, audience: cfg.keyJwt.id, algorithms: ['ES256'] });
  const introspected = await client.tokenIntrospection(config, tokens.access_token);
  expect(introspected.active === true, 'introspection with a client assertion');
  expect(tokens.claims().sub !== signedIn.tokens.claims().sub, 'pairwise: another sector, another sub');
});

await check('pushed authorization request (RFC 9126) with client_secret_basic', async () => {
  expect(basic.serverMetadata().pushed_authorization_request_endpoint === `${cfg.issuer}/oauth2/par`, 'PAR endpoint advertised');
  const { tokens } = await signIn(basic, 'openid email', {}, { pushed: true });
  expect(tokens.claims().sub === signedIn.tokens.claims().sub, 'the same citizen');
  result.sids.push(tokens.claims().sid);
  await rejects(client.buildAuthorizationUrlWithPAR(basic, { redirect_uri: 'https://evil.example/cb', scope: 'openid' }),
    'invalid_request', 'a pushed request with an unregistered redirect URI');
});

await check('pushed authorization request with private_key_jwt', async () => {
  const key = await jose.importJWK(cfg.keyJwt.privateJwk, 'ES256');
  const config = await discover(cfg.keyJwt.id, { id_token_signed_response_alg: 'ES256' },
    client.PrivateKeyJwt(key, { kid: cfg.keyJwt.privateJwk.kid }));
  const { tokens } = await signIn(config, 'openid email', {}, { pushed: true });
  await jose.jwtVerify(tokens.id_token, jwks, { issuer: cfg.issuer, audience: cfg.keyJwt.id, algorithms: ['ES256'] });
});

await check('public client with PKCE, and refused without it', async () => {
  const config = await discover(cfg.public.id, undefined, client.None());
  const { tokens } = await signIn(config, 'openid');
  expect(tokens.refresh_token, 'a refresh token');
  const next = await client.refreshTokenGrant(config, tokens.refresh_token);
  expect(next.access_token, 'refreshed');
  const url = client.buildAuthorizationUrl(config, { redirect_uri: cfg.redirectUri, scope: 'openid', state: 'no-pkce' });
  const res = await fetch(url, { redirect: 'manual' });
  const back = new URL(res.headers.get('location'));
  expect(back.href.startsWith(cfg.redirectUri) && back.searchParams.get('error') === 'invalid_request'
    && back.searchParams.get('state') === 'no-pkce' && back.searchParams.get('iss') === cfg.issuer, `sent to ${back}`);
});

await check('DPoP-bound tokens (RFC 9449) for a public client', async () => {
  const config = await discover(cfg.public.id, undefined, client.None());
  expect(config.serverMetadata().dpop_signing_alg_values_supported?.includes('ES256'), 'DPoP algorithms advertised');
  const DPoP = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const { tokens } = await signIn(config, 'openid', {}, { pushed: true, DPoP });
  expect(tokens.token_type?.toLowerCase() === 'dpop', `token_type ${tokens.token_type}`);
  const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub, { DPoP });
  expect(info.sub === tokens.claims().sub, `userinfo ${JSON.stringify(info)}`);
  await rejects(client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub), 'invalid_token', 'a bound token sent as Bearer');
  const other = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  await rejects(client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP: other }), 'invalid_grant',
    'the refresh token with another key');
  const next = await client.refreshTokenGrant(config, tokens.refresh_token, undefined, { DPoP });
  expect(next.token_type?.toLowerCase() === 'dpop' && next.refresh_token, 'refreshed with the key, still bound');
});

await check('client_secret_post client, as openid-client authenticates by default', async () => {
  const config = await discover(cfg.post.id, cfg.post.secret);
  const { tokens } = await signIn(config, 'openid email');
  expect(tokens.claims().email === undefined, 'claims of the email scope come from userinfo, not the ID token');
  expect(tokens.claims().sub === signedIn.tokens.claims().sub, 'pairwise: the same sector, the same sub');
  const info = await client.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
  expect(info.email === cfg.email, 'userinfo');
});

await check('client credentials grant', async () => {
  const config = await discover(cfg.service.id, undefined, client.ClientSecretBasic(cfg.service.secret));
  const tokens = await client.clientCredentialsGrant(config, { scope: cfg.service.scope });
  expect(tokens.token_type?.toLowerCase() === 'bearer' && tokens.refresh_token === undefined && tokens.id_token === undefined,
    `tokens ${Object.keys(tokens)}`);
  const request = new Request('https://resource.example/api', { headers: { authorization: `Bearer ${tokens.access_token}` } });
  const { aud } = jose.decodeJwt(tokens.access_token);
  const claims = await oauth.validateJwtAccessToken(config.serverMetadata(), request, Array.isArray(aud) ? aud[0] : aud,
    { [oauth.allowInsecureRequests]: true });
  expect(claims.client_id === cfg.service.id && claims.scope === cfg.service.scope, `claims ${JSON.stringify(claims)}`);
  await rejects(client.clientCredentialsGrant(config, { scope: 'openid' }), 'invalid_scope', 'openid by client credentials');
});

console.log(`RESULT ${JSON.stringify(result)}`);
process.exitCode = failed ? 1 : 0;
