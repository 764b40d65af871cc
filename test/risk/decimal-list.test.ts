import { describe, expect, it } from 'vitest';
import { parseDecimalList } from '../../src/lib/decimal-list.js';

describe('parseDecimalList', () => {
  it('reads each decimal as Number() does, to the bit', () => {
    const texts = [
      '0.1',
      '-0.3',
      '123.4567',
      '1',
      '0',
      '99999.9999',
      '0.0001',
      '1.10',
      '-12',
      '9007199254740993',
      '1e-7',
      'NaN',
      '0.30000000000000004',
    ];
    for (let i = 0; i < 20_000; i++)
      texts.push((Math.random() * 10 ** Math.floor(Math.random() * 8)).toFixed(Math.floor(Math.random() * 12)));
    const parsed = parseDecimalList(texts.join(','));
    expect(parsed).toHaveLength(texts.length);
    texts.forEach((text, i) => expect(Object.is(parsed[i], Number(text)), text).toBe(true));
  });

  it('reads an empty text as no numbers', () => {
    expect(parseDecimalList('')).toHaveLength(0);
  });
});
