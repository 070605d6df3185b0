/** Password hashing with bcrypt (bcryptjs: pure JavaScript, no native build). */
import { compare, hash } from 'bcryptjs';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 72; // bcrypt ignores what follows the 72nd byte

export function hashPassword(password: string, rounds: number): Promise<string> {
  return hash(password, rounds);
}

export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return compare(password, passwordHash);
}

/**
 * Compared against when the user does not exist, so that a wrong user name costs as long as
 * a wrong password and response times do not tell which names exist.
 */
export const DUMMY_HASH = '$2b$11$CwTycUXWue0Thq9StjUM0uJ8.W5hDZ7cL5sGq3Y5V9o3b8hX3Q2cK';
