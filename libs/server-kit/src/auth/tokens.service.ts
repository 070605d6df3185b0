/**
 * Access tokens (JWT, HS256, short-lived, stateless: both apps verify them with the shared
 * secret) and refresh tokens (random, stored hashed, single use: each refresh revokes the
 * token it used and issues a new pair; presenting a used one revokes every session of that
 * user, as it means the token was copied).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PgConnections } from '@iotmon/persistence';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AccessTokens } from './access-tokens';
import { AuthError } from './auth-error';
import type { Principal } from './principal';
import type { Role } from './roles';
import { hashSecret, newSecret } from './secrets';

export interface SessionUser {
  id: string;
  name: string;
  role: Role;
}

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: { name: string; role: Role };
}

@Injectable()
export class TokensService {
  private readonly access: AccessTokens;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(PgConnections) private readonly pg: PgConnections,
  ) {
    this.access = new AccessTokens(config.jwtSecret);
    if (config.jwtSecretGenerated)
      new Logger('auth').warn(
        'AUTH_JWT_SECRET is not set: access tokens of this process work only on this process',
      );
  }

  async issue(user: SessionUser): Promise<TokenPair> {
    const refreshToken = newSecret('iotr');
    await this.pg.rows(
      `INSERT INTO refresh_tokens (token_hash, user_id, expires_at)
       VALUES ($1, $2, now() + $3 * interval '1 second')`,
      [hashSecret(refreshToken), user.id, this.config.refreshTtlSeconds],
    );
    return {
      tokenType: 'Bearer',
      accessToken: this.access.sign(user, this.config.accessTtlSeconds),
      expiresIn: this.config.accessTtlSeconds,
      refreshToken,
      refreshExpiresIn: this.config.refreshTtlSeconds,
      user: { name: user.name, role: user.role },
    };
  }

  /** The user an access token stands for; throws 401 when it is not valid (any more). */
  verifyAccess(token: string): Principal {
    return this.access.verify(token);
  }

  /** A cheap identity for rate limiting: the token's subject if its signature holds. */
  subjectOf(token: string): string | undefined {
    return this.access.subjectOf(token);
  }

  /** Uses a refresh token once: a new pair for its (still enabled) user. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = hashSecret(refreshToken);
    const used = await this.pg.rows<{ user_id: string }>(
      `UPDATE refresh_tokens SET revoked_at = now()
        WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
       RETURNING user_id::text`,
      [hash],
    );
    if (!used[0]) {
      // A token used before (or revoked) coming back means a copy exists: end every session.
      await this.pg.rows(
        `UPDATE refresh_tokens SET revoked_at = now()
          WHERE revoked_at IS NULL
            AND user_id = (SELECT user_id FROM refresh_tokens WHERE token_hash = $1)`,
        [hash],
      );
      throw AuthError.unauthorized('the refresh token is not valid: sign in again');
    }
    const users = await this.pg.rows<{ id: string; username: string; role: Role }>(
      `SELECT id::text, username, role FROM users WHERE id = $1 AND NOT disabled`,
      [used[0].user_id],
    );
    if (!users[0]) throw AuthError.unauthorized('the account is disabled');
    return this.issue({ id: users[0].id, name: users[0].username, role: users[0].role });
  }

  async revoke(refreshToken: string): Promise<void> {
    await this.pg.rows(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`,
      [hashSecret(refreshToken)],
    );
  }
}
