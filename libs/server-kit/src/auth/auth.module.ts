/**
 * Identity for an HTTP app: the global guard and audit interceptor, users, sessions, API
 * keys and the audit log (routes /auth, /users, /api-keys, /audit). Needs TypeORM's DataSource.
 */
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { Credentials } from './credentials';
import { SessionService } from './session.service';
import { TokensService } from './tokens.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      controllers: [AuthController, UsersController, ApiKeysController, AuditController],
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        TokensService,
        ApiKeysService,
        UsersService,
        AuditService,
        Credentials,
        SessionService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
      exports: [AUTH_CONFIG, ApiKeysService, AuditService, Credentials, TokensService],
    };
  }
}
