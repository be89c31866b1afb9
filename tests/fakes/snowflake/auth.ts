import { createHash, createPublicKey, timingSafeEqual, verify } from 'node:crypto';
import { SnowflakeError } from './errors.js';
import type { FakeUser, ResolvedOptions } from './state.js';

/** The part of `/session/v1/login-request`'s body the fake reads (`authentication/authentication.js`). */
export type LoginData = {
  LOGIN_NAME?: string;
  PASSWORD?: string;
  AUTHENTICATOR?: string;
  TOKEN?: string;
  SESSION_PARAMETERS?: Record<string, unknown>;
};

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Reads the login body defensively (it comes from the client). */
export function loginData(body: unknown): LoginData {
  const data = (body as { data?: unknown } | null)?.data;
  if (typeof data !== 'object' || data === null) return {};
  const d = data as Record<string, unknown>;
  const params = d.SESSION_PARAMETERS;
  return {
    LOGIN_NAME: optionalString(d.LOGIN_NAME),
    PASSWORD: optionalString(d.PASSWORD),
    AUTHENTICATOR: optionalString(d.AUTHENTICATOR),
    TOKEN: optionalString(d.TOKEN),
    SESSION_PARAMETERS:
      typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : undefined,
  };
}

export function badCredentials(): SnowflakeError {
  return new SnowflakeError('390100', '08004', 'Incorrect username or password was specified.');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function findUser(options: ResolvedOptions, login: string | undefined): [string, FakeUser] | undefined {
  if (!login) return undefined;
  const entry = Object.entries(options.users).find(([name]) => name.toUpperCase() === login.toUpperCase());
  return entry && [entry[0].toUpperCase(), entry[1]];
}

type JwtClaims = { iss: string; sub: string; exp: number };

function jwtClaims(header: unknown, payload: unknown): JwtClaims | undefined {
  if ((header as { alg?: unknown } | null)?.alg !== 'RS256') return undefined;
  const p = payload as Partial<Record<keyof JwtClaims, unknown>> | null;
  if (typeof p?.iss !== 'string' || typeof p.sub !== 'string' || typeof p.exp !== 'number') return undefined;
  return { iss: p.iss, sub: p.sub, exp: p.exp };
}

/**
 * SNOWFLAKE_JWT (`authentication/auth_keypair.js`): RS256 over `header.payload`, `sub` =
 * `ACCOUNT.USER`, `iss` = `ACCOUNT.USER.SHA256:<base64 sha256 of the public key's DER>`.
 */
function jwtUser(options: ResolvedOptions, token: string): string | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  let claims: JwtClaims | undefined;
  try {
    claims = jwtClaims(decode(header), decode(payload));
  } catch {
    return undefined;
  }
  if (!claims) return undefined;
  const [account, login] = claims.sub.split('.');
  if (account?.toUpperCase() !== options.account.toUpperCase()) return undefined;
  const found = findUser(options, login);
  if (!found?.[1].publicKeyPem) return undefined;
  const [name, user] = found;
  const publicKey = createPublicKey(user.publicKeyPem!);
  const fingerprint = createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64');
  if (claims.iss !== `${options.account.toUpperCase()}.${name}.SHA256:${fingerprint}`) return undefined;
  // The SDK puts milliseconds in exp (a quirk Snowflake tolerates); either way it must not be past.
  if (claims.exp < Date.now() / 1000) return undefined;
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
  return signed ? name : undefined;
}

/** Checks the credentials of a login request; returns the user's (upper-cased) login name. */
export function authenticate(options: ResolvedOptions, data: LoginData): string {
  const authenticator = (data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
  if (authenticator === 'SNOWFLAKE') {
    const found = findUser(options, data.LOGIN_NAME);
    const expected = found?.[1].password;
    if (found && expected !== undefined && data.PASSWORD !== undefined && sameSecret(expected, data.PASSWORD))
      return found[0];
    throw badCredentials();
  }
  if (authenticator === 'SNOWFLAKE_JWT') {
    const name = data.TOKEN ? jwtUser(options, data.TOKEN) : undefined;
    if (name && (!data.LOGIN_NAME || data.LOGIN_NAME.toUpperCase() === name)) return name;
    throw badCredentials();
  }
  if (authenticator === 'OAUTH') {
    const token = data.TOKEN;
    const match = Object.entries(options.users).find(
      ([, user]) =>
        token !== undefined && user.oauthToken !== undefined && sameSecret(user.oauthToken, token),
    );
    const name = match?.[0].toUpperCase();
    if (name && (!data.LOGIN_NAME || data.LOGIN_NAME.toUpperCase() === name)) return name;
    throw badCredentials();
  }
  throw new SnowflakeError('390100', '08004', `Authenticator ${authenticator} is unsupported by the fake.`);
}
