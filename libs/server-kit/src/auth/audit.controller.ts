/** GET /audit (admin): the audit log, newest first, filtered; `before` pages. */
import { Controller, Get, Query } from '@nestjs/common';
import { Access } from './access.decorator';
import { AuditService, type AuditPage } from './audit.service';
import { AuditQueryDto } from './dto/auth.dto';

@Controller('audit')
@Access('admin')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@Query() q: AuditQueryDto): Promise<AuditPage> {
    return this.audit.search(q);
  }
}
