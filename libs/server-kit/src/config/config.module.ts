/** Makes an app's typed config (validated at start-up) injectable everywhere under its token. */
import { type DynamicModule, Module } from '@nestjs/common';

@Module({})
export class ConfigModule {
  static forRoot<T>(token: symbol, config: T): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: token, useValue: config }],
      exports: [token],
    };
  }
}
