/** Sign-in, refresh and sign-out: the use cases behind /auth, with their audit entries. */
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from './audit.service';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AuthError } from './auth-error';
import { ACCESS_COOKIE, CSRF_HEADER, REFRESH_COOKIE, cookieOf } from './credentials';
import type { TokenPair } from './tokens.service';
import { TokensService } from './tokens.service';
import { LoginFailed, UsersService } from './users.service';

@Injectable()
export class SessionService {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
  ) {}

  async login(
    username: string,
    password: string,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<TokenPair> {
    const where = { ip: req.ip, correlationId: String(req.id) };
    try {
      const user = await this.users.login(username, password);
      const pair = await this.tokens.issue(user);
      await this.audit.record({
        action: 'auth.login',
        principal: { kind: 'user', ...user },
        outcome: 'ok',
        status: 200,
        ...where,
      });
      this.setCookies(reply, pair);
      return pair;
    } catch (e) {
      if (!(e instanceof LoginFailed)) throw e;
      await this.audit.record({
        action: 'auth.login',
        name: username,
        outcome: 'failed',
        status: e.error.status,
        detail: { reason: e.reason },
        ...where,
      });
      if (e.error.retryAfterSeconds) void reply.header('retry-after', e.error.retryAfterSeconds);
      throw e.error;
    }
  }

  async refresh(
    bodyToken: string | undefined,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<TokenPair> {
    const token = bodyToken ?? this.cookieToken(req);
    if (!token) throw AuthError.unauthorized('no refresh token (body refreshToken or cookie)');
    const pair = await this.tokens.refresh(token);
    this.setCookies(reply, pair);
    return pair;
  }

  async logout(bodyToken: string | undefined, req: FastifyRequest, reply: FastifyReply) {
    const token = bodyToken ?? cookieOf(req, REFRESH_COOKIE);
    if (token) await this.tokens.revoke(token);
    const gone = 'Max-Age=0; HttpOnly; SameSite=Strict';
    void reply.header('set-cookie', [
      `${ACCESS_COOKIE}=; Path=/; ${gone}`,
      `${REFRESH_COOKIE}=; Path=/auth; ${gone}`,
    ]);
  }

  /** The refresh cookie, only with the CSRF header (a cross-site request cannot add it). */
  private cookieToken(req: FastifyRequest): string | undefined {
    const token = cookieOf(req, REFRESH_COOKIE);
    if (token && !req.headers[CSRF_HEADER]) {
      throw AuthError.forbidden(
        `a refresh with the session cookie needs the ${CSRF_HEADER} header`,
      );
    }
    return token;
  }

  /** The dashboard's session: both tokens as HttpOnly cookies the page's script cannot read. */
  private setCookies(reply: FastifyReply, pair: TokenPair): void {
    const flags = `HttpOnly; SameSite=Strict${this.config.cookieSecure ? '; Secure' : ''}`;
    void reply.header('set-cookie', [
      `${ACCESS_COOKIE}=${pair.accessToken}; Path=/; Max-Age=${pair.expiresIn}; ${flags}`,
      `${REFRESH_COOKIE}=${pair.refreshToken}; Path=/auth; Max-Age=${pair.refreshExpiresIn}; ${flags}`,
    ]);
  }
}
