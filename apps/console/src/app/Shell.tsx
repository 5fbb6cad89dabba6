import { lazy, Suspense, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { Alert, Button, Layout, Menu, Popover, Space, Tag, Typography } from 'antd';
import { may, type Session } from '../shared/api/session';
import { useI18n } from '../shared/i18n/i18n';
import type { MessageKey } from '../shared/i18n/catalogue';
import { LanguageSwitch, ZoneSwitch } from './LanguageSwitch';

/** Loaded beside the first screen, not with it: it shows only while a projection is failing. */
const StaleBanner = lazy(() => import('./StaleBanner'));

/** A screen and the route that decides whether this principal sees it (GET /session lists the routes). */
export const SCREENS: ReadonlyArray<{ path: string; label: MessageKey; route: string }> = [
  { path: '/', label: 'nav.queue', route: 'GET /complaints' },
  { path: '/new', label: 'nav.intake', route: 'POST /complaints' },
  { path: '/dashboard', label: 'nav.dashboard', route: 'GET /stats/complaints' },
  { path: '/dispatch', label: 'nav.dispatch', route: 'POST /complaints/:id/assign' },
  { path: '/work-orders', label: 'nav.workOrders', route: 'GET /work-orders/board' },
  { path: '/surveys', label: 'nav.surveys', route: 'GET /surveys' },
  { path: '/service-network', label: 'nav.serviceNetwork', route: 'POST /service-network/engineers/:engineerId/deactivate' },
  { path: '/audit', label: 'nav.audit', route: 'GET /audit/verify' },
];

/**
 * What GET /session says of an agent or engineer the service network has deactivated: shown on every
 * screen from sign-in on, so that nobody types out an action the API will refuse.
 */
function DeactivationAlert({ deactivation }: { deactivation: NonNullable<Session['deactivation']> }) {
  const { t, formatInstant } = useI18n();
  const words = deactivation.code === 'engineer-deactivated' ? 'session.deactivated.engineer' : 'session.deactivated.agent';
  return <Alert role="alert" type="warning" showIcon style={{ marginBottom: 16 }} message={t('session.deactivated.title')} description={t(words, { at: formatInstant(deactivation.deactivatedAt) })} />;
}

/**
 * Who is signed in (principal and role, always shown) and, behind it, their departments, the time zone and signing out.
 * The menu is drawn right after the name rather than at the end of the page, so that Tab goes from the name into it;
 * Escape closes it and gives the focus back to the name.
 */
function AccountMenu({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const name = useRef<HTMLButtonElement>(null);
  const departments = session.departments ? t('header.departments', { departments: session.departments.join(', ') }) : t('header.allDepartments');
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    setOpen(false);
    name.current?.focus();
  };
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      getPopupContainer={(trigger) => trigger.parentElement ?? document.body}
      content={(
        <section id={menuId} aria-label={t('header.account')} onKeyDown={closeOnEscape}>
          <Space direction="vertical" size="middle">
            <Typography.Text>{departments}</Typography.Text>
            <ZoneSwitch />
            <Button onClick={onSignOut}>{t('header.signOut')}</Button>
          </Space>
        </section>
      )}
    >
      <Button ref={name} type="text" aria-haspopup="dialog" aria-expanded={open} aria-controls={open ? menuId : undefined} style={{ color: '#fff', paddingInline: 8 }}>
        {session.principalId}
        <Tag color="blue" style={{ marginInline: 0 }}>{t(`role.${session.role}`)}</Tag>
        <span aria-hidden="true">▾</span>
      </Button>
    </Popover>
  );
}

export function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { t } = useI18n();
  const location = useLocation();
  const screens = SCREENS.filter((screen) => may(session, screen.route));
  const selected = screens.find((screen) => screen.path !== '/' && location.pathname.startsWith(screen.path))?.path ?? '/';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap', height: 'auto', lineHeight: '48px', padding: '0 16px' }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 18 }}>{t('appName')}</Typography.Text>
        {/* Room for every screen's link, as wide as its links: on a narrow window the menu takes a line of its own, and wraps there,
            rather than folding links away (a folded menu keeps hidden copies of its links that can still take the focus:
            axe-core's aria-hidden-focus). */}
        <nav aria-label={t('nav.label')} style={{ flex: '1 1 auto', minWidth: 200 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            disabledOverflow
            style={{ flexWrap: 'wrap' }}
            selectedKeys={[selected]}
            items={screens.map((screen) => ({ key: screen.path, label: <Link to={screen.path}>{t(screen.label)}</Link> }))}
          />
        </nav>
        {/* The language stays in sight (it is switched often); who is signed in opens the rest, so that an admin's eight links
            and the header fit one line at 1280 px in either language. */}
        <Space>
          <LanguageSwitch />
          {session.deactivation ? <Tag color="red">{t('header.deactivated')}</Tag> : null}
          <AccountMenu session={session} onSignOut={onSignOut} />
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 16 }}>
        <main>
          {session.deactivation ? <DeactivationAlert deactivation={session.deactivation} /> : null}
          <Suspense fallback={null}><StaleBanner session={session} /></Suspense>
          <Outlet />
        </main>
      </Layout.Content>
    </Layout>
  );
}
