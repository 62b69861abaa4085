import { defineConfig } from 'prisma/config';

// The URL is only needed by `prisma migrate deploy` on machines that have Prisma's schema engine;
// `prisma generate` needs none. The application reads DATABASE_URL through config/config.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unset' },
});
