/** /users: accounts and their roles (admin). */
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Access } from './access.decorator';
import { Audit } from './audit.decorator';
import { CreateUserDto, NumericIdParam, UpdateUserDto } from './dto/auth.dto';
import { UsersService, type UserView } from './users.service';

@Controller('users')
@Access('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Audit('user.create', {
    target: (_req, r) => (r as UserView | undefined)?.id,
    detail: (req) => {
      const b = req.body as CreateUserDto;
      return { username: b.username, role: b.role };
    },
  })
  create(@Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(body.username, body.password, body.role);
  }

  @Get()
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Get(':id')
  get(@Param() p: NumericIdParam): Promise<UserView> {
    return this.users.get(p.id);
  }

  /** Role, password or disabled; ends the user's sessions. */
  @Patch(':id')
  @Audit('user.update', {
    detail: (req) => {
      const b = req.body as UpdateUserDto;
      return { role: b.role, disabled: b.disabled, passwordChanged: b.password !== undefined };
    },
  })
  update(@Param() p: NumericIdParam, @Body() body: UpdateUserDto): Promise<UserView> {
    return this.users.update(p.id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Audit('user.delete')
  remove(@Param() p: NumericIdParam): Promise<void> {
    return this.users.remove(p.id);
  }
}
