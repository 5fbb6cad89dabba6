import { probeWithoutStacks } from './probe-without-stacks';

describe('a dry-run decision without stack traces', () => {
  const refusal = { code: 'illegal-transition', reason: 'not now' } as never;

  it('runs the decision with stack traces off, turns what it throws into a refusal, and puts the limit back', () => {
    const before = Error.stackTraceLimit;
    let limitDuring: number | undefined;
    const result = probeWithoutStacks(() => {
      limitDuring = Error.stackTraceLimit;
      throw new Error('refused');
    }, () => refusal);
    expect([result, limitDuring, Error.stackTraceLimit]).toEqual([refusal, 0, before]);
    expect(probeWithoutStacks(() => undefined, () => refusal)).toBeNull();
  });

  it('throws what is no refusal with a stack (decided again with stacks on), for the log of the fault, and puts the limit back', () => {
    const before = Error.stackTraceLimit;
    const faulty = () => {
      throw new TypeError('a fault in the decider');
    };
    let thrown: unknown;
    try {
      probeWithoutStacks(faulty, (error) => {
        throw error;
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).stack).toContain('faulty');
    expect(Error.stackTraceLimit).toBe(before);
  });
});
