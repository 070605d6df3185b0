/** /api-keys: machine keys with a role (admin). The key is shown once, on create and rotate. */
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Access } from './access.decorator';
import { ApiKeysService, type ApiKeyView } from './api-keys.service';
import { Audit } from './audit.decorator';
import { CreateApiKeyDto, NumericIdParam } from './dto/auth.dto';

@Controller('api-keys')
@Access('admin')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Audit('api-key.create', {
    target: (_req, r) => (r as ApiKeyView | undefined)?.id,
    detail: (req) => {
      const b = req.body as CreateApiKeyDto;
      return { name: b.name, role: b.role };
    },
  })
  create(@Body() body: CreateApiKeyDto): Promise<ApiKeyView> {
    return this.keys.create(body.name, body.role);
  }

  @Get()
  list(): Promise<ApiKeyView[]> {
    return this.keys.list();
  }

  @Post(':id/rotate')
  @HttpCode(200)
  @Audit('api-key.rotate')
  rotate(@Param() p: NumericIdParam): Promise<ApiKeyView> {
    return this.keys.rotate(p.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Audit('api-key.revoke')
  revoke(@Param() p: NumericIdParam): Promise<void> {
    return this.keys.revoke(p.id);
  }
}
