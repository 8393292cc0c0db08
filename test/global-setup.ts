import 'vitest';
import type { TestProject } from 'vitest/node';
import { startPostgresServer } from './helpers/postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One real PostgreSQL server for the whole run; each test file makes its own database on it. */
export default async function setup(project: TestProject) {
  const server = await startPostgresServer();
  project.provide('postgresUrl', server.url);
  return async () => {
    await server.stop();
    server.remove();
  };
}
