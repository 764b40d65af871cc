/**
 * The promise's value, or what `onTimeout` returns (or throws) once `ms` have passed; the timer never
 * outlives the race, so it does not hold the process open.
 */
export async function within<T, F>(promise: Promise<T>, ms: number, onTimeout: () => F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
  try {
    return await Promise.race([promise, late.then(onTimeout)]);
  } finally {
    clearTimeout(timer);
  }
}
