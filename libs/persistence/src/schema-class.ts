/** An entity or migration class, as TypeORM's data source options take them. */
export type SchemaClass = new (...args: never[]) => unknown;
