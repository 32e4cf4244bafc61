import { Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { LoadingBlock } from './components/LoadingBlock.tsx';
import { lazyPage } from './shell/lazyPage.ts';
import { NotFoundPage } from './components/NotFoundPage.tsx';
import { ADMIN_ONLY, ANY_ROLE, EMPLOYEE_ONLY, SANDBOX_CONSOLE, STAFF } from './domain/roles.ts';
import { RequireRole } from './session/RequireRole.tsx';
import { RequireSession } from './session/RequireSession.tsx';
import { SessionProvider } from './session/SessionProvider.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { HomeRedirect } from './shell/HomeRedirect.tsx';
import { NoEmployeeCardPage } from './shell/NoEmployeeCardPage.tsx';

// Each page is a chunk of its own, loaded when first opened: the sign-in page does not wait for the
// issuance wizard's code, nor the other way round.
const AuditPage = lazyPage(() => import('./pages/audit/AuditPage.tsx'), 'AuditPage');
const EmployeeCardPage = lazyPage(() => import('./pages/employees/EmployeeCardPage.tsx'), 'EmployeeCardPage');
const EmployeeCreatePage = lazyPage(() => import('./pages/employees/EmployeeCreatePage.tsx'), 'EmployeeCreatePage');
const EmployeeEditPage = lazyPage(() => import('./pages/employees/EmployeeEditPage.tsx'), 'EmployeeEditPage');
const EmployeeImportPage = lazyPage(() => import('./pages/employees/EmployeeImportPage.tsx'), 'EmployeeImportPage');
const EmployeeListPage = lazyPage(() => import('./pages/employees/EmployeeListPage.tsx'), 'EmployeeListPage');
const LoginPage = lazyPage(() => import('./pages/login/LoginPage.tsx'), 'LoginPage');
const SettingsPage = lazyPage(() => import('./pages/settings/SettingsPage.tsx'), 'SettingsPage');
const DocumentListPage = lazyPage(() => import('./pages/documents/DocumentListPage.tsx'), 'DocumentListPage');
const DocumentPage = lazyPage(() => import('./pages/documents/DocumentPage.tsx'), 'DocumentPage');
const IssueListPage = lazyPage(() => import('./pages/issues/IssueListPage.tsx'), 'IssueListPage');
const IssuePage = lazyPage(() => import('./pages/issues/IssuePage.tsx'), 'IssuePage');
const IssueStartPage = lazyPage(() => import('./pages/issues/IssueStartPage.tsx'), 'IssueStartPage');
const SandboxPage = lazyPage(() => import('./pages/sandbox/SandboxPage.tsx'), 'SandboxPage');
const CertificateFormCreatePage = lazyPage(() => import('./pages/certificate-forms/CertificateFormCreatePage.tsx'), 'CertificateFormCreatePage');
const CertificateFormListPage = lazyPage(() => import('./pages/certificate-forms/CertificateFormListPage.tsx'), 'CertificateFormListPage');
const CertificateFormPage = lazyPage(() => import('./pages/certificate-forms/CertificateFormPage.tsx'), 'CertificateFormPage');
const CertificateListPage = lazyPage(() => import('./pages/certificates/CertificateListPage.tsx'), 'CertificateListPage');
const MyIssuesPage = lazyPage(() => import('./pages/my/MyIssuesPage.tsx'), 'MyIssuesPage');
const MyCertificatesPage = lazyPage(() => import('./pages/my/MyCertificatesPage.tsx'), 'MyCertificatesPage');
const NotificationsPage = lazyPage(() => import('./pages/my/NotificationsPage.tsx'), 'NotificationsPage');

/**
 * Every page and who may open it. The server checks the same rules on each API call;
 * these only keep people from pages that would refuse them.
 */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route
            path="/login"
            element={
              <Suspense fallback={<LoadingBlock />}>
                <LoginPage />
              </Suspense>
            }
          />
          <Route
            element={
              <RequireSession>
                <AppShell />
              </RequireSession>
            }
          >
            <Route index element={<HomeRedirect />} />
            <Route path="employees" element={<RequireRole roles={STAFF}><EmployeeListPage /></RequireRole>} />
            <Route path="employees/new" element={<RequireRole roles={STAFF}><EmployeeCreatePage /></RequireRole>} />
            <Route path="employees/import" element={<RequireRole roles={STAFF}><EmployeeImportPage /></RequireRole>} />
            <Route path="employees/:id" element={<RequireRole roles={ANY_ROLE}><EmployeeCardPage /></RequireRole>} />
            <Route path="employees/:id/edit" element={<RequireRole roles={STAFF}><EmployeeEditPage /></RequireRole>} />
            <Route path="employees/:id/issue" element={<RequireRole roles={STAFF}><IssueStartPage /></RequireRole>} />
            <Route path="issues" element={<RequireRole roles={STAFF}><IssueListPage /></RequireRole>} />
            <Route path="issues/:id" element={<RequireRole roles={STAFF}><IssuePage /></RequireRole>} />
            <Route path="certificates" element={<RequireRole roles={STAFF}><CertificateListPage /></RequireRole>} />
            <Route path="certificate-forms" element={<RequireRole roles={STAFF}><CertificateFormListPage /></RequireRole>} />
            <Route path="certificate-forms/new" element={<RequireRole roles={STAFF}><CertificateFormCreatePage /></RequireRole>} />
            <Route path="certificate-forms/:id" element={<RequireRole roles={STAFF}><CertificateFormPage /></RequireRole>} />
            <Route path="documents" element={<RequireRole roles={ANY_ROLE}><DocumentListPage /></RequireRole>} />
            <Route path="documents/:id" element={<RequireRole roles={ANY_ROLE}><DocumentPage /></RequireRole>} />
            <Route path="sandbox-console" element={<RequireRole roles={SANDBOX_CONSOLE}><SandboxPage /></RequireRole>} />
            <Route path="settings/:section?" element={<RequireRole roles={ADMIN_ONLY}><SettingsPage /></RequireRole>} />
            <Route path="audit" element={<RequireRole roles={ADMIN_ONLY}><AuditPage /></RequireRole>} />
            <Route path="my/issues" element={<RequireRole roles={EMPLOYEE_ONLY}><MyIssuesPage /></RequireRole>} />
            <Route path="my/certificates" element={<RequireRole roles={EMPLOYEE_ONLY}><MyCertificatesPage /></RequireRole>} />
            <Route path="notifications" element={<RequireRole roles={ANY_ROLE}><NotificationsPage /></RequireRole>} />
            <Route path="no-card" element={<NoEmployeeCardPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
