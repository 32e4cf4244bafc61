import type { SettingName } from '../../api/types.ts';

/** The manual's five settings, the transport to the Crypto API and Реестро's three, as an administrator reads them. */
export const SETTING_DESCRIPTIONS: Record<SettingName, { label: string; hint: string; placeholder?: string }> = {
  CryptoApiConnectionAddress: {
    label: 'Адрес облачной подписи (Crypto API)',
    hint: 'Точка подключения к облачной подписи УЦ Контур, например https://cloudtest.kontur-ca.ru/v3/',
    placeholder: 'https://…/v3/',
  },
  CryptoApiTransport: {
    label: 'Способ подключения к облачной подписи',
    hint: 'Рабочий сервис Контура принимает только ГОСТ TLS с клиентским сертификатом: выберите «ГОСТ TLS через stunnel» (нужны пакеты Debian stunnel4 и libengine-gost-openssl)',
  },
  CryptoAuthenticationCertificateThumbprint: {
    label: 'Отпечаток клиентского сертификата',
    hint: 'Сертификат, выданный Контуром по заявке на доступ к Crypto API: 40 шестнадцатеричных символов',
    placeholder: '40 символов 0–9, A–F',
  },
  KcrApiConnectionAddress: {
    label: 'Адрес API УЦ Контур (KCR)',
    hint: 'Точка подключения к API выпуска сертификатов, например https://api.kontur.ru/kcr/',
    placeholder: 'https://…/kcr/',
  },
  KcrApiKey: {
    label: 'API-ключ УЦ Контур',
    hint: 'Ключ хранится зашифрованным и не показывается. Оставьте поле пустым, чтобы не менять его',
  },
  RestClientMaxTimeout: {
    label: 'Время ожидания ответа, мс',
    hint: 'Сколько ждать ответа УЦ Контур: от 1000 до 600000 мс. По умолчанию 60000 (60 секунд)',
  },
  ReestroApiConnectionAddress: {
    label: 'Адрес Контур.Реестро',
    hint: 'Точка подключения к API Реестро (анкеты на выпуск сертификата), например https://api.kontur.ru/ (тестовый: https://api.testkontur.ru/)',
    placeholder: 'https://api.kontur.ru/',
  },
  ReestroApiKey: {
    label: 'Ключ API Реестро',
    hint: 'GUID, выданный Контуром (или идентификатор сессии auth.sid). Хранится зашифрованным и не показывается. Оставьте поле пустым, чтобы не менять его',
  },
  ReestroOrganizationId: {
    label: 'Организация в Реестро (portal.orgid)',
    hint: 'Идентификатор организации, от имени которой модуль работает в Реестро: GUID',
    placeholder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
  },
};
