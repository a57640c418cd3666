// A real OpenID Connect provider for the SSO tests: panva's oidc-provider (an OpenID-certified
// OP) on 127.0.0.1, with the clients and test accounts the tests give it.
//
//   OP_PORT      the port to listen on
//   OP_CLIENTS   JSON list of oidc-provider client metadata (client_id, client_secret, redirect_uris, …)
//   OP_ACCOUNTS  path to a JSON file {login: {password, claims}}; read at every lookup, so a test
//                can change a person's claims between two logins
//
// The login form checks the password; consent is implied (as with an organisation's own IdP).
// Prints "ready <issuer>" once it listens.
import fs from 'node:fs';
import querystring from 'node:querystring';

import Provider from 'oidc-provider';

const port = Number(process.env.OP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OP_CLIENTS);
const accountsFile = process.env.OP_ACCOUNTS;

const readAccounts = () => JSON.parse(fs.readFileSync(accountsFile, 'utf8'));
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const CLAIMS = ['email', 'email_verified', 'name', 'given_name', 'family_name', 'groups'];

const provider = new Provider(issuer, {
  clients,
  cookies: { keys: ['tests-only-not-a-secret'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'groups'],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  // Every client must use PKCE: the tests prove the platform sends it.
  pkce: { required: () => true },
  async findAccount(ctx, sub) {
    const account = readAccounts()[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(CLAIMS);
    await grant.save();
    return grant;
  },
});

const loginPage = (uid, error) => `<!DOCTYPE html><html lang="en"><head><title>Test IdP</title></head><body>
<h1>Test IdP sign-in</h1>${error ? `<p id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label>Login <input name="login"></label><label>Password <input type="password" name="password"></label>
<button type="submit">Sign in</button></form></body></html>`;

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return querystring.parse(body);
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== match[1]) ctx.throw(400, 'interaction mismatch');
  if (ctx.method === 'GET' && details.prompt.name === 'login') {
    ctx.type = 'html';
    ctx.body = loginPage(details.uid);
    return undefined;
  }
  if (ctx.method === 'POST' && match[2]) {
    const form = await readForm(ctx.req);
    const account = readAccounts()[form.login];
    if (!account || account.password !== form.password) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage(details.uid, 'Wrong login or password');
      return undefined;
    }
    return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: form.login } }, {
      mergeWithLastSubmission: false,
    });
  }
  if (details.prompt.name === 'consent') {
    // Implied consent: loadExistingGrant covers the scopes, so this is only reached for extras.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    return provider.interactionFinished(ctx.req, ctx.res, { consent: { grantId: await grant.save() } }, {
      mergeWithLastSubmission: true,
    });
  }
  return ctx.throw(400, 'unexpected interaction');
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
