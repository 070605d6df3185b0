import { IsString, MaxLength, MinLength } from 'class-validator';

export class AskDto {
  /** The operator's question, e.g. "why is ingest lag rising?". */
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  question!: string;
}
