import type { Sql } from '../../infra/db.js';
import type { Fragment } from '../common/sql.js';

/**
 * SQL text with slots for what each request brings (parameters, the rows' FROM and WHERE, nested
 * statements), laid out once per plan: a request makes one postgres.js fragment of it, however many
 * fields it holds.
 */
export class Template<TSlot> {
  private readonly texts: string[] = [''];
  readonly slots: TSlot[] = [];
  private strings: TemplateStringsArray | undefined;

  text(text: string): this {
    this.texts[this.texts.length - 1] += text;
    return this;
  }

  slot(slot: TSlot): this {
    this.slots.push(slot);
    this.texts.push('');
    return this;
  }

  append(other: Template<TSlot>): this {
    other.slots.forEach((slot, index) => this.text(other.texts[index]!).slot(slot));
    return this.text(other.texts.at(-1)!);
  }

  fragment(sql: Sql, values: readonly unknown[]): Fragment {
    this.strings ??= interned(this.texts);
    if (this.slots.length) return sql(this.strings, ...(values as never[])) as unknown as Fragment;
    // Without slots the fragment is the same for every request (postgres.js only reads a fragment).
    let fixed = this.fixed.get(sql);
    if (!fixed) {
      fixed = sql(this.strings) as unknown as Fragment;
      this.fixed.set(sql, fixed);
    }
    return fixed;
  }

  private readonly fixed = new WeakMap<Sql, Fragment>();
}

/** postgres.js keeps an entry per distinct text array for good; equal texts share one. */
const texts = new Map<string, TemplateStringsArray>();
function interned(parts: readonly string[]): TemplateStringsArray {
  const key = parts.join('\u0000');
  let strings = texts.get(key);
  if (!strings) {
    strings = Object.freeze(Object.assign([...parts], { raw: Object.freeze([...parts]) })) as unknown as TemplateStringsArray;
    texts.set(key, strings);
  }
  return strings;
}
