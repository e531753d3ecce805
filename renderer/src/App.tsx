import { AppShell, Alert, Code, Group, NavLink, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { onAuthChange } from './api/client.js';
import { linkProps, useRoute } from './router.js';
import { OverviewPage } from './pages/Overview.js';
import { FunctionsPage } from './pages/Functions.js';
import { FunctionDetailPage } from './pages/FunctionDetail.js';
import { EventsPage } from './pages/Events.js';
import { LogsPage } from './pages/Logs.js';
import { TracesPage } from './pages/Traces.js';
import { MetricsPage } from './pages/Metrics.js';
import { ResourcesPage } from './pages/Resources.js';
import { ApiRulesPage } from './pages/ApiRules.js';
import { ApplicationsPage } from './pages/Applications.js';
import { ServiceCatalogPage } from './pages/ServiceCatalog.js';

const NAV: Array<{ route: string; label: string }> = [
  { route: '/', label: 'Overview' },
  { route: '/functions', label: 'Functions' },
  { route: '/events', label: 'Events' },
  { route: '/apirules', label: 'API Rules' },
  { route: '/logs', label: 'Logs' },
  { route: '/traces', label: 'Traces' },
  { route: '/metrics', label: 'Metrics' },
  { route: '/applications', label: 'Applications' },
  { route: '/services', label: 'Service Catalog' },
  { route: '/resources', label: 'Resources' },
];

function page(path: string, query: URLSearchParams): ReactNode {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
      return <OverviewPage />;
    case 'functions':
      return parts.length >= 3 ? <FunctionDetailPage namespace={parts[1]!} name={parts[2]!} /> : <FunctionsPage />;
    case 'events':
      return <EventsPage selected={parts[1]} />;
    case 'apirules':
      return <ApiRulesPage />;
    case 'logs':
      return <LogsPage initialTraceId={query.get('traceId') ?? undefined} initialFunction={query.get('function') ?? undefined} />;
    case 'traces':
      return <TracesPage selected={parts[1]} />;
    case 'metrics':
      return <MetricsPage />;
    case 'applications':
      return <ApplicationsPage />;
    case 'services':
      return <ServiceCatalogPage />;
    case 'resources':
      return <ResourcesPage kind={parts[1]} namespace={parts[2]} name={parts[3]} />;
    default:
      return <Text>No page at {path}. Pick one on the left.</Text>;
  }
}

export function App() {
  const { path, query } = useRoute();
  const [signedOut, setSignedOut] = useState(false);
  useEffect(() => onAuthChange((ok) => setSignedOut(!ok)), []);
  const section = '/' + (path.split('/').filter(Boolean)[0] ?? '');
  return (
    <AppShell navbar={{ width: 200, breakpoint: 0 }} header={{ height: 48 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={4} component="div">Kyma Local</Title>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Pages">
        {NAV.map((n) => (
          <NavLink key={n.route} component="a" label={n.label} active={section === n.route} {...linkProps(n.route)} />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        {signedOut && (
          <Alert color="orange" title="Not signed in" mb="md" role="alert">
            This browser has no session with the daemon. Run <Code>kyma-local dashboard</Code> to open a signed-in window, or open the desktop app.
          </Alert>
        )}
        {page(path, query)}
      </AppShell.Main>
    </AppShell>
  );
}
