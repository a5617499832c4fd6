export default async function globalTeardown(): Promise<void> {
  await Promise.all([
    globalThis.__privateRedis?.stop(),
    globalThis.__privatePostgres?.stop(),
    globalThis.__privateS3?.stop(),
  ]);
}
