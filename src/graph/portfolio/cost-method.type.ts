import { registerEnumType } from 'type-graphql';

export enum CostMethod {
  FIFO = 'FIFO',
  AVERAGE = 'AVERAGE',
}
registerEnumType(CostMethod, {
  name: 'CostMethod',
  description:
    "How a sale's cost basis is taken from the position: FIFO from the oldest lots first, AVERAGE at the position's average cost.",
  valuesConfig: {
    FIFO: { description: 'First in, first out: a sale consumes the oldest open lots, each at its own cost.' },
    AVERAGE: { description: 'Average cost: a sale costs its share of the position at the average cost of the units held.' },
  },
});
