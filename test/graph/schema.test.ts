import { readFile } from 'node:fs/promises';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { printGraphSchema, SCHEMA_FILE } from '../../src/cli/emit-schema.js';
import { buildGraphSchema } from '../../src/graph/schema.js';

describe('schema/schema.graphql', () => {
  it('is what the code builds', async () => {
    const built = printGraphSchema(await buildGraphSchema());
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    if (committed !== built) {
      expect.fail(
        'schema/schema.graphql differs from the schema the code builds: run `npm run schema:emit` (then `npm run codegen`) and commit the result',
      );
    }
  });

  it('gives test/generated/graphql.ts exactly as npm run codegen makes it', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: 'codegen.yml' });
    const files = (await generate({ ...config, silent: true }, false)) as Array<{ filename: string; content: string }>;
    expect(files.map((file) => file.filename)).toEqual(['test/generated/graphql.ts']);
    const committed = await readFile(files[0]!.filename, 'utf8').catch(() => '');
    if (committed !== files[0]!.content) {
      expect.fail(
        'test/generated/graphql.ts differs from what codegen makes of schema/schema.graphql and test/operations: run `npm run codegen`',
      );
    }
  });

  it('has the names graph.md fixes', async () => {
    const sdl = printGraphSchema(await buildGraphSchema());
    for (const line of [
      'asset(id: ID!): Asset',
      'assets(',
      'assetAllocation(by: AllocationDimension = ASSET_TYPE): [AllocationSlice!]!',
      'sectorExposure: [AllocationSlice!]!',
      'geographicDistribution: [AllocationSlice!]!',
      'riskMetrics(top: Int = 10): [Asset!]!',
      'complianceSummary: ComplianceSummary!',
      'portfolioOverview: PortfolioOverview!',
      'asset360Build: Asset360Build',
      'prices(from: Date, to: Date): [PricePoint!]!',
      'violations: [Violation!]!',
      'allocations: [Allocation!]!',
    ]) {
      expect(sdl).toContain(line);
    }
  });
});
