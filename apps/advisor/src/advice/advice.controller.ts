/** GET /advice (current findings), POST /advice/ask (question → answer with evidence), GET /advice/history. */
import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { Access, CurrentPrincipal, type Principal } from '@iotmon/server-kit';
import { AdviceService } from './advice.service';
import { AskDto } from './dto/ask.dto';
import { HistoryQueryDto } from './dto/history-query.dto';

@Controller('advice')
export class AdviceController {
  constructor(private readonly advice: AdviceService) {}

  @Get()
  @Access('viewer')
  current() {
    return this.advice.current();
  }

  @Post('ask')
  @HttpCode(200)
  @Access('operator')
  ask(@Body() body: AskDto, @CurrentPrincipal() who: Principal | undefined) {
    return this.advice.ask(body.question, who);
  }

  @Get('history')
  @Access('viewer')
  history(@Query() q: HistoryQueryDto) {
    return this.advice.historyPage(q);
  }
}
