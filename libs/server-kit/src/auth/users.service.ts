/** People who sign in: accounts with a role, password checks with lockout, the first admin. */
import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { PgConnections, type Sql } from '@iotmon/persistence';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AppError } from '../errors/app-error';
import { AuthError } from './auth-error';
import { hashPassword, verifyPassword } from './passwords';
import type { Role } from './roles';
import type { SessionUser } from './tokens.service';

export interface UserView {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

interface UserRow {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id::text, username, role, disabled, locked_until, last_login_at, created_at';

const toView = (r: UserRow): UserView => ({
  id: r.id,
  username: r.username,
  role: r.role,
  disabled: r.disabled,
  lockedUntil: r.locked_until && r.locked_until > new Date() ? r.locked_until.toISOString() : null,
  lastLoginAt: r.last_login_at ? r.last_login_at.toISOString() : null,
  createdAt: r.created_at.toISOString(),
});

/** Why a sign-in failed, for the audit log (the caller only ever hears "wrong name or password"). */
export type LoginFailure = 'unknown_user' | 'wrong_password' | 'disabled' | 'locked';

export class LoginFailed extends Error {
  constructor(
    readonly reason: LoginFailure,
    readonly error: AuthError,
  ) {
    super(error.message);
  }
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly log = new Logger('auth');
  /** A hash of a random password, compared against for unknown names (same cost as a real check). */
  private dummyHash?: Promise<string>;

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(PgConnections) private readonly pg: PgConnections,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin) return;
    const created = await this.pg.rows(
      `INSERT INTO users (username, password_hash, role)
       SELECT $1, $2, 'admin' WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin')
       ON CONFLICT DO NOTHING RETURNING id`,
      [admin.username, await hashPassword(admin.password, this.config.bcryptRounds)],
    );
    if (created.length > 0) this.log.log(`created the first admin user "${admin.username}"`);
  }

  /** Checks a password; on success a new session. Lockout after repeated failures. */
  async login(username: string, password: string): Promise<SessionUser> {
    const [row] = await this.pg.rows<
      UserRow & { password_hash: string; locked: boolean; lock_left: number }
    >(
      `SELECT ${COLUMNS}, password_hash, coalesce(locked_until > now(), false) AS locked,
                ceil(extract(epoch FROM locked_until - now()))::int AS lock_left
           FROM users WHERE lower(username) = lower($1)`,
      [username],
    );
    const wrong = AuthError.unauthorized('wrong user name or password');
    if (row?.locked) throw new LoginFailed('locked', lockedError(row.lock_left));
    if (!row) {
      this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.config.bcryptRounds);
      await verifyPassword(password, await this.dummyHash);
      throw new LoginFailed('unknown_user', wrong);
    }
    const ok = await verifyPassword(password, row.password_hash);
    if (ok && !row.disabled) {
      await this.pg.rows(
        `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1`,
        [row.id],
      );
      return { id: row.id, name: row.username, role: row.role };
    }
    if (row.disabled) throw new LoginFailed('disabled', wrong);
    const [after] = await this.pg.rows<{ locked: boolean; lock_left: number }>(
      `UPDATE users
          SET failed_logins = CASE WHEN failed_logins + 1 >= $2 THEN 0 ELSE failed_logins + 1 END,
              locked_until = CASE WHEN failed_logins + 1 >= $2
                                  THEN now() + $3 * interval '1 second' END
        WHERE id = $1
       RETURNING locked_until IS NOT NULL AS locked,
                 ceil(extract(epoch FROM locked_until - now()))::int AS lock_left`,
      [row.id, this.config.lockoutAttempts, this.config.lockoutSeconds],
    );
    if (after?.locked) throw new LoginFailed('locked', lockedError(after.lock_left));
    throw new LoginFailed('wrong_password', wrong);
  }

  async create(username: string, password: string, role: Role): Promise<UserView> {
    const rows = await this.pg.rows<UserRow>(
      `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [username, await hashPassword(password, this.config.bcryptRounds), role],
    );
    if (!rows[0]) throw AppError.conflict(`a user named ${username} exists`);
    return toView(rows[0]);
  }

  async list(): Promise<UserView[]> {
    const rows = await this.pg.rows<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY users.id`);
    return rows.map(toView);
  }

  async get(id: string): Promise<UserView> {
    const rows = await this.pg.rows<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    if (!rows[0]) throw AppError.notFound(`user ${id}`);
    return toView(rows[0]);
  }

  /** Changes role, password or enabled state; any of them ends the user's sessions. */
  async update(
    id: string,
    change: { role?: Role; password?: string; disabled?: boolean },
  ): Promise<UserView> {
    return this.pg.transaction(async (m) => {
      const before = await m.rows<{ was_admin: boolean }>(
        `SELECT role = 'admin' AND NOT disabled AS was_admin FROM users WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!before[0]) throw AppError.notFound(`user ${id}`);
      const hash = change.password
        ? await hashPassword(change.password, this.config.bcryptRounds)
        : null;
      const rows = await m.rows<UserRow>(
        `UPDATE users SET role = coalesce($2, role), password_hash = coalesce($3, password_hash),
                disabled = coalesce($4, disabled), locked_until = CASE WHEN $3::text IS NULL
                THEN locked_until END, updated_at = now()
          WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, change.role ?? null, hash, change.disabled ?? null],
      );
      const row = rows[0];
      if (before[0].was_admin) await assertAnAdminLeft(m);
      await m.rows(
        `UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
        [id],
      );
      return toView(row);
    });
  }

  async remove(id: string): Promise<void> {
    await this.pg.transaction(async (m) => {
      const rows = await m.rows<{ was_admin: boolean }>(
        `DELETE FROM users WHERE id = $1 RETURNING role = 'admin' AND NOT disabled AS was_admin`,
        [id],
      );
      if (rows.length === 0) throw AppError.notFound(`user ${id}`);
      if (rows[0].was_admin) await assertAnAdminLeft(m);
    });
  }
}

function lockedError(seconds: number): AuthError {
  const s = Math.max(1, seconds);
  return new AuthError(
    429,
    'ACCOUNT_LOCKED',
    `too many wrong passwords: the account is locked for ${s} s`,
    s,
  );
}

/** Nobody may remove, disable or demote the last enabled admin user (no one could manage users). */
async function assertAnAdminLeft(m: Sql): Promise<void> {
  const rows = await m.rows(`SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled LIMIT 1`);
  if (rows.length === 0) {
    throw AppError.conflict('the last enabled admin cannot be removed or demoted');
  }
}
