import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { HashRouter, Route, Routes } from 'react-router';
import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin, theme, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { onUnauthorised, tokenStore } from '../shared/api/client';
import { useLiveUpdates } from '../shared/api/live';
import { may, useSession, type Session } from '../shared/api/session';
import { I18nProvider, useI18n } from '../shared/i18n/i18n';
import { ErrorAlert } from '../shared/ui/ErrorAlert';
import { cspNonce } from '../shared/csp/nonce';
import { QueueScreen } from '../features/complaints/QueueScreen';
import { Shell } from './Shell';
import { queryClient } from './query-client';
import { THEME_COMPONENTS, THEME_TOKEN } from './theme';
import { precomputedAlgorithm } from './theme-algorithm';
import MAP_TOKENS from 'virtual:antd-map-tokens';

// The queue is what a first visit shows; every other screen loads when it is opened (charts only for analysts).
const ComplaintScreen = lazy(() => import('../features/complaints/ComplaintScreen'));
const IntakeScreen = lazy(() => import('../features/complaints/IntakeScreen'));
const DashboardScreen = lazy(() => import('../features/analytics/DashboardScreen'));
const DispatchScreen = lazy(() => import('../features/dispatch/DispatchScreen'));
const WorkOrderBoardScreen = lazy(() => import('../features/dispatch/WorkOrderBoardScreen'));
const WorkOrderScreen = lazy(() => import('../features/work-orders/WorkOrderScreen'));
const ServiceNetworkScreen = lazy(() => import('../features/service-network/ServiceNetworkScreen'));
const AuditScreen = lazy(() => import('../features/audit/AuditScreen'));
const SurveysScreen = lazy(() => import('../features/surveys/SurveysScreen'));

// A signed-in tab never needs the sign-in form (and its form code): it loads when a tab has no token.
const SignInScreen = lazy(() => import('../features/auth/SignInScreen').then((module) => ({ default: module.SignInScreen })));

const later = (element: ReactNode) => <Suspense fallback={<Spin />}>{element}</Suspense>;

/** A theme algorithm with the console's map tokens made at build time (theme-algorithm.ts); Ant Design's default for any other seed. */
const ALGORITHM = precomputedAlgorithm(MAP_TOKENS, theme.defaultAlgorithm);

/** The console's tokens over Ant Design's defaults (theme.ts: darker text colours for WCAG AA contrast). */
const THEME = {
  // Ant Design's component styles come from its style sheet, built with the package (antd/dist/antd.css, imported by
  // main.tsx and served as a file beside the scripts): none is generated in the browser. Only the design tokens, as CSS
  // variables, are still written at run time, so the tokens below (and less motion) apply as before.
  zeroRuntime: true,
  algorithm: ALGORITHM,
  token: THEME_TOKEN,
  components: THEME_COMPONENTS,
};


function NotFound() {
  const { t } = useI18n();
  return <Typography.Paragraph>{t('notFound')}</Typography.Paragraph>;
}

function SignedIn({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  // Hash routes: every path of the API stays the API's (/complaints/… is JSON), the console lives at /#/….
  return (
    <HashRouter>
      <Routes>
        <Route path="/" element={<Shell session={session} onSignOut={onSignOut} />}>
          <Route index element={<QueueScreen />} />
          <Route path="complaints/:id" element={later(<ComplaintScreen />)} />
          {may(session, 'POST /complaints') ? <Route path="new" element={later(<IntakeScreen />)} /> : null}
          {may(session, 'GET /stats/complaints') ? <Route path="dashboard" element={later(<DashboardScreen />)} /> : null}
          {may(session, 'POST /complaints/:id/assign') ? <Route path="dispatch" element={later(<DispatchScreen />)} /> : null}
          {may(session, 'GET /work-orders/board') ? <Route path="work-orders" element={later(<WorkOrderBoardScreen />)} /> : null}
          {may(session, 'GET /work-orders/:id') ? <Route path="work-orders/:id" element={later(<WorkOrderScreen />)} /> : null}
          {may(session, 'POST /service-network/engineers/:engineerId/deactivate') ? <Route path="service-network" element={later(<ServiceNetworkScreen />)} /> : null}
          {may(session, 'GET /surveys') ? <Route path="surveys" element={later(<SurveysScreen />)} /> : null}
          {may(session, 'GET /audit/verify') ? <Route path="audit" element={later(<AuditScreen />)} /> : null}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </HashRouter>
  );
}

function Console() {
  const client = useQueryClient();
  const [signedIn, setSignedIn] = useState(() => tokenStore.get() !== null);
  const session = useSession(signedIn);
  useLiveUpdates(signedIn && session.data !== undefined && may(session.data, 'GET /feed'));
  const signOut = useMemo(() => () => {
    tokenStore.clear();
    client.clear();
    setSignedIn(false);
    window.location.hash = '';
  }, [client]);
  useEffect(() => onUnauthorised(signOut), [signOut]);

  if (!signedIn) return <Suspense fallback={<Spin fullscreen />}><SignInScreen onSignedIn={() => setSignedIn(true)} /></Suspense>;
  if (session.error) return <main style={{ padding: 16 }}><ErrorAlert error={session.error} /></main>;
  if (!session.data) return <Spin fullscreen />;
  return <SignedIn session={session.data} onSignOut={signOut} />;
}

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

/** Whether the person asked their system for less motion (WCAG 2.3.3), following a change while the console is open. */
function usePrefersReducedMotion(): boolean {
  const [reduced, setReduced] = useState(() => window.matchMedia(REDUCED_MOTION).matches);
  useEffect(() => {
    const query = window.matchMedia(REDUCED_MOTION);
    const changed = () => setReduced(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
  return reduced;
}

function Localised() {
  const { language } = useI18n();
  // Dialogs, drawers and messages appear without zooming or sliding for whoever asked for less motion.
  const reducedMotion = usePrefersReducedMotion();
  const theme = useMemo(() => ({ ...THEME, token: { ...THEME.token, motion: !reducedMotion } }), [reducedMotion]);
  return (
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} csp={cspNonce ? { nonce: cspNonce } : undefined} button={{ autoInsertSpace: false }} theme={theme}>
      <AntApp>
        <Console />
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Localised />
      </I18nProvider>
    </QueryClientProvider>
  );
}
