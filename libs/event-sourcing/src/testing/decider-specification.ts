import type { Decider } from '../decider';

/**
 * given(events).when(command).then(events) | .thenThrows(ErrorClass, check) — the shape of every
 * domain test. The state is folded from the given events exactly as a handler would.
 */
export function deciderSpecification<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState));
          return {
            then(expected: Event[]): void {
              expect(run()).toEqual(expected);
            },
            thenProduces(check: (events: Event[]) => void): void {
              check(run());
            },
            thenThrows<E extends Error>(errorClass: abstract new (...args: never[]) => E, check?: (error: E) => void): void {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(errorClass);
              check?.(thrown as E);
            },
          };
        },
      };
    },
  };
}
