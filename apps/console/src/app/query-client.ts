import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../shared/api/client';

/** The console's one cache of API answers: the start fills it (first-screen.ts) before React renders from it. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // A refusal is an answer: retry only what may pass on a second try.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500 && error.status !== 429),
    },
  },
});
