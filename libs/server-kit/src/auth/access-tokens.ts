/**
 * Access tokens alone (JWT, HS256, stateless): signing and verifying with the shared secret
 * and nothing else, so an app without the identity tables (the advisor) accepts the same
 * signed-in users as the api and alerting.
 */
import { JwtService } from '@nestjs/jwt';
import { AuthError } from './auth-error';
import type { Principal } from './principal';
import { isRole, type Role } from './roles';

interface AccessClaims {
  sub: string;
  name: string;
  role: string;
  typ: 'access';
}

export class AccessTokens {
  private readonly jwt: JwtService;

  constructor(secret: string) {
    this.jwt = new JwtService({
      secret,
      signOptions: { algorithm: 'HS256', issuer: 'iotmon' },
      verifyOptions: { algorithms: ['HS256'], issuer: 'iotmon' },
    });
  }

  sign(user: { id: string; name: string; role: Role }, ttlSeconds: number): string {
    const claims: AccessClaims = { sub: user.id, name: user.name, role: user.role, typ: 'access' };
    return this.jwt.sign(claims, { expiresIn: ttlSeconds });
  }

  /** The user an access token stands for; throws 401 when it is not valid (any more). */
  verify(token: string): Principal {
    let claims: AccessClaims;
    try {
      claims = this.jwt.verify<AccessClaims>(token);
    } catch (e) {
      if ((e as Error).name === 'TokenExpiredError') {
        throw AuthError.unauthorized('the access token has expired: refresh it', 'TOKEN_EXPIRED');
      }
      throw AuthError.unauthorized('the access token is not valid');
    }
    if (claims.typ !== 'access' || !isRole(claims.role) || typeof claims.sub !== 'string') {
      throw AuthError.unauthorized('the access token is not valid');
    }
    return { kind: 'user', id: claims.sub, name: claims.name, role: claims.role };
  }

  /** A cheap identity for rate limiting: the token's subject if its signature holds. */
  subjectOf(token: string): string | undefined {
    try {
      return this.jwt.verify<AccessClaims>(token, { ignoreExpiration: true }).sub;
    } catch {
      return undefined;
    }
  }
}
