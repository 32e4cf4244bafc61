import { useRef } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { Tabs } from '@skbkontur/react-ui';
import { PageHeader } from '../../components/PageHeader.tsx';
import { usePageTitle } from '../../hooks/usePageTitle.ts';
import { useActiveItemInView } from '../../hooks/useActiveItemInView.ts';
import { ApiKeysSection } from './ApiKeysSection.tsx';
import { ConnectionSettingsSection } from './ConnectionSettingsSection.tsx';
import { ConnectionCheckSection } from './ConnectionCheckSection.tsx';
import { UsersSection } from './UsersSection.tsx';
import { ClientCertificatesSection } from './ClientCertificatesSection.tsx';
import { TrustedRootsSection } from './TrustedRootsSection.tsx';
import { WebhooksSection } from './WebhooksSection.tsx';
import { MailSettingsSection } from './MailSettingsSection.tsx';

const SECTIONS = [
  {
    id: 'connection',
    label: 'Подключение к Контуру',
    render: () => (
      <>
        <ConnectionSettingsSection />
        <ConnectionCheckSection />
      </>
    ),
  },
  { id: 'trusted-roots', label: 'Доверенные корневые', render: () => <TrustedRootsSection /> },
  { id: 'client-certificates', label: 'Клиентские сертификаты', render: () => <ClientCertificatesSection /> },
  { id: 'users', label: 'Пользователи', render: () => <UsersSection /> },
  { id: 'api-keys', label: 'API-ключи', render: () => <ApiKeysSection /> },
  { id: 'webhooks', label: 'Вебхуки', render: () => <WebhooksSection /> },
  { id: 'mail', label: 'Почта', render: () => <MailSettingsSection /> },
] as const;

/** Administration: the Kontur connection, certificate store, users, API keys and webhooks, one tab each (the tab is in the URL). */
export function SettingsPage() {
  const { section } = useParams();
  const navigate = useNavigate();
  const current = SECTIONS.find((candidate) => candidate.id === section);
  usePageTitle(current ? `Настройки: ${current.label}` : 'Настройки');
  const tabs = useRef<HTMLElement>(null);
  useActiveItemInView(tabs, `a[href="/settings/${current?.id}"]`, current?.id);
  if (!current) return <Navigate to="/settings/connection" replace />;
  return (
    <>
      <PageHeader title="Настройки" />
      {/* Tabs are links: each section has its own address, so it can be bookmarked and reloaded. */}
      <nav ref={tabs} className="tabs-scroll" aria-label="Разделы настроек">
        <Tabs value={current.id}>
          {SECTIONS.map((candidate) => (
            <Tabs.Tab
              key={candidate.id}
              id={candidate.id}
              href={`/settings/${candidate.id}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(`/settings/${candidate.id}`);
              }}
            >
              {candidate.label}
            </Tabs.Tab>
          ))}
        </Tabs>
      </nav>
      <div className="tab-panel">{current.render()}</div>
    </>
  );
}
