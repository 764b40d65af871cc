export interface MapEventsOptions<U> {
  /** Sent before any event: the current state, say. Undefined sends nothing. */
  first?: () => Promise<U | undefined>;
  /** After sending a value for which this holds, the stream ends. */
  last?: (value: U) => boolean;
  /** Called once when the stream ends, however it ends. */
  onEnd?: () => void;
}

/**
 * A stream of `map(event)` for each event of `source`, skipping events mapped to undefined.
 * Written as an iterator rather than an async generator on purpose: a generator waiting for its
 * next event cannot be returned (its return() queues behind the pending next()), so an idle
 * subscription that ends would keep its listener forever. This one's return() ends it at once.
 */
export function mapEvents<T, U>(
  source: AsyncIterator<T>,
  map: (event: T) => Promise<U | undefined>,
  { first, last, onEnd }: MapEventsOptions<U> = {},
): AsyncIterableIterator<U> {
  let ended = false;
  let pendingFirst = first;
  const end = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!ended) {
      ended = true;
      onEnd?.();
      await source.return?.();
    }
    return { value: undefined, done: true };
  };
  const emit = async (value: U): Promise<IteratorResult<U, undefined>> => {
    if (last?.(value)) await end();
    return { value, done: false };
  };
  return {
    async next() {
      if (pendingFirst) {
        const initial = await pendingFirst();
        pendingFirst = undefined;
        if (initial !== undefined) return emit(initial);
      }
      while (!ended) {
        const result = await source.next();
        if (result.done) return end();
        const value = await map(result.value);
        if (value !== undefined && !ended) return emit(value);
      }
      return { value: undefined, done: true };
    },
    return: end,
    async throw(error: unknown) {
      await end();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
