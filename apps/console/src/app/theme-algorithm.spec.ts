import { describe, expect, it, jest } from '@jest/globals';
import { theme } from 'antd';
import defaultSeed from 'antd/lib/theme/themes/seed';
import { consoleSeeds, THEME_TOKEN } from './theme';
import { precomputedAlgorithm, precomputeMapTokens } from './theme-algorithm';

/**
 * The console's theme tokens are derived at build time (vite.config.mts writes precomputeMapTokens' result, as JSON, into
 * the console) and given back by precomputedAlgorithm: the design tokens Ant Design computes with it must be the ones
 * its own default algorithm gives, without running it for the console's seeds.
 */
describe("the console's theme algorithm", () => {
  // What the build writes: the map tokens of the console's seeds, through JSON.
  const precomputed = JSON.parse(JSON.stringify(precomputeMapTokens(consoleSeeds(defaultSeed), theme.defaultAlgorithm))) as Array<{ seed: object; map: object }>;

  it.each([true, false])('gives Ant Design the design tokens of its default algorithm, without running it, with motion %s', (motion) => {
    const fallback = jest.fn(theme.defaultAlgorithm);
    // theme.getDesignToken merges the seed as ConfigProvider does ({ ...default seed, ...token }).
    const token = { ...THEME_TOKEN, motion };
    const ours = theme.getDesignToken({ token, algorithm: precomputedAlgorithm(precomputed, fallback) });
    expect(fallback).not.toHaveBeenCalled();
    expect(ours).toEqual(theme.getDesignToken({ token }));
    expect(ours.colorPrimary).toBe('#1456c8');
    expect(ours.colorPrimaryHover).toBe(theme.getDesignToken({ token }).colorPrimaryHover);
  });

  it('runs the default algorithm for a seed the build did not see', () => {
    const fallback = jest.fn(theme.defaultAlgorithm);
    const token = { ...THEME_TOKEN, colorPrimary: '#00b96b' };
    const ours = theme.getDesignToken({ token, algorithm: precomputedAlgorithm(precomputed, fallback) });
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(ours).toEqual(theme.getDesignToken({ token }));
  });

  it('hands out a copy, so that what Ant Design merges into it does not change the next start', () => {
    const algorithm = precomputedAlgorithm(precomputed, theme.defaultAlgorithm);
    const seed = consoleSeeds(defaultSeed)[0]!;
    const first = algorithm(seed);
    first.colorPrimary = 'changed';
    expect(algorithm(seed).colorPrimary).toBe('#1456c8');
  });
});
