import { BrowserRouter, Route, Routes } from 'react-router';
import { NotFoundPage } from './components/NotFoundPage.tsx';
import { ADMIN_ONLY, ANY_ROLE, SANDBOX_CONSOLE, STAFF } from './domain/roles.ts';
import { AuditPage } from './pages/audit/AuditPage.tsx';
import { EmployeeCardPage } from './pages/employees/EmployeeCardPage.tsx';
import { EmployeeCreatePage } from './pages/employees/EmployeeCreatePage.tsx';
import { EmployeeEditPage } from './pages/employees/EmployeeEditPage.tsx';
import { EmployeeImportPage } from './pages/employees/EmployeeImportPage.tsx';
import { EmployeeListPage } from './pages/employees/EmployeeListPage.tsx';
import { LoginPage } from './pages/login/LoginPage.tsx';
import { SettingsPage } from './pages/settings/SettingsPage.tsx';
import { DocumentListPage } from './pages/documents/DocumentListPage.tsx';
import { DocumentPage } from './pages/documents/DocumentPage.tsx';
import { IssueListPage } from './pages/issues/IssueListPage.tsx';
import { IssuePage } from './pages/issues/IssuePage.tsx';
import { IssueStartPage } from './pages/issues/IssueStartPage.tsx';
import { SandboxPage } from './pages/sandbox/SandboxPage.tsx';
import { CertificateFormCreatePage } from './pages/certificate-forms/CertificateFormCreatePage.tsx';
import { CertificateFormListPage } from './pages/certificate-forms/CertificateFormListPage.tsx';
import { CertificateFormPage } from './pages/certificate-forms/CertificateFormPage.tsx';
import { CertificateListPage } from './pages/certificates/CertificateListPage.tsx';
import { RequireRole } from './session/RequireRole.tsx';
import { RequireSession } from './session/RequireSession.tsx';
import { SessionProvider } from './session/SessionProvider.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { HomeRedirect } from './shell/HomeRedirect.tsx';
import { NoEmployeeCardPage } from './shell/NoEmployeeCardPage.tsx';

/**
 * Every page and who may open it. The server checks the same rules on each API call;
 * these only keep people from pages that would refuse them.
 */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
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
            <Route path="no-card" element={<NoEmployeeCardPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
