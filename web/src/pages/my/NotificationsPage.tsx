import { Toast, Toggle } from '@skbkontur/react-ui';
import { fetchMySubscription, saveMySubscription } from '../../api/selfService.ts';
import { ErrorBanner } from '../../components/ErrorBanner.tsx';
import { LoadFailure } from '../../components/LoadFailure.tsx';
import { LoadingBlock } from '../../components/LoadingBlock.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useAction } from '../../hooks/useAction.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { usePageTitle } from '../../hooks/usePageTitle.ts';

/** Every user's one switch for e-mail notices, with the address they go to. */
export function NotificationsPage() {
  usePageTitle('Уведомления');
  const subscription = useApiData(fetchMySubscription, []);
  const saving = useAction();

  const change = async (subscribed: boolean) => {
    const saved = await saving.run(() => saveMySubscription(subscribed));
    if (saved) {
      subscription.replace(saved);
      Toast.push(saved.subscribed ? 'Уведомления включены' : 'Уведомления отключены');
    }
  };

  return (
    <>
      <PageHeader title="Уведомления по почте" />
      {subscription.error && !subscription.data && <LoadFailure error={subscription.error} onRetry={subscription.reload} />}
      {!subscription.data && !subscription.error && <LoadingBlock />}
      {subscription.data && (
        <section className="section" aria-labelledby="mail-subscription-title">
          <h2 id="mail-subscription-title" className="section__title">
            Письма о заявках, сертификатах и подписании
          </h2>
          <p>Письма приходят, когда заявку вернули на исправление, когда выпущен сертификат, когда документ ждёт кода из СМС и когда срок сертификата подходит к концу.</p>
          <label className="toggle-line">
            <Toggle checked={subscription.data.subscribed} onValueChange={change} disabled={saving.busy} data-testid="mail-subscription" />
            <span>{subscription.data.subscribed ? 'Уведомления включены' : 'Уведомления отключены'}</span>
          </label>
          <p className="muted">
            {subscription.data.address
              ? `Адрес: ${subscription.data.address} (из вашей карточки сотрудника).`
              : 'Адреса нет: письма приходят на электронную почту из карточки сотрудника, а ваша учётная запись с карточкой не связана или в карточке нет почты.'}
          </p>
          <ErrorBanner error={saving.error} />
        </section>
      )}
    </>
  );
}
