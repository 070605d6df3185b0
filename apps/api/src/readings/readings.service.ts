import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Reading } from '@iotmon/domain';
import { latestReadings } from '@iotmon/persistence';
import type { DataSource } from 'typeorm';
import type { ReadingsQueryDto } from './dto/readings-query.dto';

@Injectable()
export class ReadingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  latest(query: ReadingsQueryDto): Promise<Reading[]> {
    return latestReadings(this.db.manager, query);
  }
}
