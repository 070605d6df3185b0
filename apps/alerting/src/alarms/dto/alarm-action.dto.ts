import { Type } from 'class-transformer';
import {
  IsDate,
  IsInt,
  IsNumberString,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class AlarmIdParam {
  @IsNumberString({ no_symbols: true }, { message: 'id must be an alarm id (digits)' })
  @MaxLength(19)
  id!: string;
}

/** The actor is who is signed in (or the API key's name), never a field of the body. */
export class AlarmActionDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ShelveDto extends AlarmActionDto {
  /** Shelved until this time (ISO-8601, in the future); or give `minutes`. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an ISO-8601 date' })
  until?: Date;

  /** Shelved for this many minutes (1-10080); or give `until`. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_080)
  minutes?: number;
}
