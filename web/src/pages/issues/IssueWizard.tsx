import type { Employee, IssueScan, KonturIssue } from '../../api/types.ts';
import { documentOf, requisite, type IssueProgress, type IssueStep } from '../../domain/issueProgress.ts';
import { ApplicantSummary } from './ApplicantSummary.tsx';
import { CabinetStep } from './CabinetStep.tsx';
import { CertificateStep } from './CertificateStep.tsx';
import { IdentificationStep } from './IdentificationStep.tsx';
import { IdentityDocumentStep } from './IdentityDocumentStep.tsx';
import { ReleaseStatementStep } from './ReleaseStatementStep.tsx';
import { ValidationStep } from './ValidationStep.tsx';
import { WizardStep, type WizardStepState } from './WizardStep.tsx';

function passportSummary(issue: KonturIssue): string {
  const pages = documentOf(issue, 'passport')?.pages.length ?? 0;
  return `Паспорт ${requisite(issue, 'passport', 'series') ?? ''} ${requisite(issue, 'passport', 'number') ?? ''}, страниц скана: ${pages}.`;
}

export interface IssueWizardProps {
  issue: KonturIssue;
  progress: IssueProgress;
  scans: IssueScan[];
  employee: Employee | null;
  /** When the newest release-statement SMS code was sent, if still unused. */
  statementCodeSentAt?: string;
  onChanged(): void;
}

/** The manual's flow, step by step: each step shows what is done and the form for what is next. */
export function IssueWizard({ issue, progress, scans, employee, statementCodeSentAt, onChanged }: IssueWizardProps) {
  const stateOf = (step: IssueStep): WizardStepState => (progress.done.includes(step) ? 'done' : progress.current === step ? 'current' : 'ahead');
  const correcting = issue.status === 'correction';
  const common = { issue, onChanged };
  return (
    <div className="wizard">
      <WizardStep id="step-applicant" number={1} title="Заявитель" state="done" summary={<ApplicantSummary issue={issue} />} />
      <WizardStep
        id="step-identity"
        number={2}
        title="Паспорт и скан"
        state={stateOf('identity')}
        summary={stateOf('identity') === 'done' ? passportSummary(issue) : undefined}
        open={stateOf('identity') === 'current'}
        editable={correcting || issue.status === 'preparing'}
      >
        <IdentityDocumentStep {...common} scans={scans.filter((scan) => scan.documentType === 'passport')} employee={employee} />
      </WizardStep>
      <WizardStep
        id="step-statement"
        number={3}
        title="Заявление на выпуск"
        state={stateOf('statement')}
        summary={
          stateOf('statement') === 'done'
            ? issue.releaseStatementSigned
              ? progress.confirmedThroughEsia
                ? 'Заявление подписано: заявитель подтвердил выпуск в Госуслугах.'
                : 'Заявление подписано кодом из СМС.'
              : 'Приложен скан подписанного заявления.'
            : stateOf('statement') === 'ahead'
              ? 'Заявитель подписывает заявление: кодом из СМС, через Госуслуги или сканом с подписью.'
              : undefined
        }
      >
        <ReleaseStatementStep {...common} waitingForEsia={progress.waitingForEsia} employee={employee} codeSentAt={statementCodeSentAt} />
      </WizardStep>
      <WizardStep
        id="step-validation"
        number={4}
        title="Проверка в УЦ"
        state={stateOf('validation')}
        open={stateOf('validation') === 'current'}
        summary={
          stateOf('validation') === 'ahead'
            ? 'Заявка уходит оператору УЦ; он одобряет её или возвращает на исправление.'
            : stateOf('validation') === 'done'
              ? 'Оператор УЦ одобрил заявку.'
              : undefined
        }
      >
        <ValidationStep {...common} />
      </WizardStep>
      <WizardStep
        id="step-identification"
        number={5}
        title="Удостоверение личности"
        state={stateOf('identification')}
        summary={
          progress.confirmedThroughEsia
            ? 'Не требуется: личность подтверждена через Госуслуги.'
            : stateOf('identification') === 'done'
              ? 'Личность заявителя удостоверена.'
              : 'После одобрения сотрудник, проверивший паспорт заявителя, подтверждает его личность.'
        }
      >
        <IdentificationStep {...common} />
      </WizardStep>
      <WizardStep
        id="step-cabinet"
        number={6}
        title="Личный кабинет"
        state={stateOf('cabinet')}
        summary={
          progress.confirmedThroughEsia
            ? 'Не требуется: сертификат выпускается сразу после одобрения.'
            : stateOf('cabinet') === 'done'
              ? 'Заявка перенаправлена в личный кабинет заявителя.'
              : 'Заявка перенаправляется в личный кабинет, где заявитель запрашивает выпуск.'
        }
      >
        <CabinetStep {...common} />
      </WizardStep>
      <WizardStep
        id="step-certificate"
        number={7}
        title="Сертификат в карточке"
        state={stateOf('certificate')}
        open={stateOf('certificate') !== 'ahead'}
        summary={stateOf('certificate') === 'ahead' ? 'Выпущенный сертификат сам появится в карточке сотрудника.' : undefined}
      >
        <CertificateStep {...common} certificateInCard={progress.certificateInCard} employee={employee} />
      </WizardStep>
    </div>
  );
}
