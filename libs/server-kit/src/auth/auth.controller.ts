/** POST /auth/login, /auth/refresh, /auth/logout; GET /auth/me. */
import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access, Public } from './access.decorator';
import { LoginDto, RefreshDto } from './dto/auth.dto';
import { CurrentPrincipal, type Principal } from './principal';
import { SessionService } from './session.service';
import type { TokenPair } from './tokens.service';

@Controller('auth')
export class AuthController {
  constructor(private readonly sessions: SessionService) {}

  /** A short-lived access token and a refresh token (also set as HttpOnly cookies). */
  @Post('login')
  @Public()
  @HttpCode(200)
  login(
    @Body() body: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPair> {
    return this.sessions.login(body.username, body.password, req, reply);
  }

  /** A new pair for a refresh token (single use). */
  @Post('refresh')
  @Public()
  @HttpCode(200)
  refresh(
    @Body() body: RefreshDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPair> {
    return this.sessions.refresh(body.refreshToken, req, reply);
  }

  /** Revokes the refresh token and clears the session cookies. */
  @Post('logout')
  @Public()
  @HttpCode(204)
  logout(
    @Body() body: RefreshDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    return this.sessions.logout(body.refreshToken, req, reply);
  }

  /** Who the caller is (the dashboard shows it and offers only what the role may do). */
  @Get('me')
  @Access('viewer')
  me(@CurrentPrincipal() p: Principal): { kind: string; name: string; role: string } {
    return { kind: p.kind, name: p.name, role: p.kind === 'device' ? 'device' : p.role };
  }
}
