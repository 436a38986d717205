/** Calls per second of `call`, run `count` times with `width` calls in flight (1 = one after another). */
export async function throughput(
  call: () => Promise<unknown>,
  count: number,
  width: number,
): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await call();
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: width }, worker));
  return count / ((performance.now() - start) / 1000);
}
