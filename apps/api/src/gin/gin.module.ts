import { Module } from '@nestjs/common';
import { GinController } from './gin.controller';
import { GinService } from './gin.service';
import { RootController } from './root.controller';

@Module({ controllers: [RootController, GinController], providers: [GinService] })
export class GinModule {}
