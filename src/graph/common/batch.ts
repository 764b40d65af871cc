import DataLoader from 'dataloader';

/** Loads rows by their unique id; a missing id resolves to null. */
export function loaderById<TRow extends { id: string }>(
  load: (ids: string[]) => Promise<readonly TRow[]>,
): DataLoader<string, TRow | null> {
  return new DataLoader(async (ids) => {
    const byId = new Map((await load([...ids])).map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads the list of rows of each parent id, in the order the statement returns them. */
export function loaderOfLists<TRow>(
  load: (parentIds: string[]) => Promise<readonly TRow[]>,
  parentOf: (row: TRow) => string,
): DataLoader<string, TRow[]> {
  return new DataLoader(async (parentIds) => {
    const byParent = new Map<string, TRow[]>();
    for (const row of await load([...parentIds])) {
      const parent = parentOf(row);
      const list = byParent.get(parent);
      if (list) list.push(row);
      else byParent.set(parent, [row]);
    }
    return parentIds.map((id) => byParent.get(id) ?? []);
  });
}

export interface KeyWithArgs<TArgs> {
  id: string;
  /** Normalized arguments: equal arguments must serialize to equal JSON. */
  args: TArgs;
}

/**
 * For relations with arguments (a page of trades, prices in a date range): the keys of a batch
 * that share their arguments are loaded by one statement over all their parent ids. `load`
 * returns one value per parent id, in the order of the ids.
 */
export function loaderWithArgs<TArgs, TValue>(
  load: (parentIds: string[], args: TArgs) => Promise<TValue[]>,
): DataLoader<KeyWithArgs<TArgs>, TValue, string> {
  const cacheKey = (key: KeyWithArgs<TArgs>) => `${key.id} ${JSON.stringify(key.args)}`;
  return new DataLoader(
    async (keys) => {
      const groups = new Map<string, { args: TArgs; ids: string[] }>();
      for (const key of keys) {
        const signature = JSON.stringify(key.args);
        const group = groups.get(signature);
        if (group) group.ids.push(key.id);
        else groups.set(signature, { args: key.args, ids: [key.id] });
      }
      const loaded = new Map<string, TValue>();
      await Promise.all(
        [...groups.values()].map(async ({ args, ids }) => {
          const values = await load(ids, args);
          ids.forEach((id, index) => loaded.set(cacheKey({ id, args }), values[index]!));
        }),
      );
      return keys.map((key) => loaded.get(cacheKey(key))!);
    },
    { cacheKeyFn: cacheKey },
  );
}
