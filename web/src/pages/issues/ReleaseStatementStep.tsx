import { useState } from 'react';
import { Radio, RadioGroup } from '@skbkontur/react-ui';
import { apiUrl } from '../../api/client.ts';
import { releaseStatementTemplatePath } from '../../api/issues.ts';
import type { Employee, KonturIssue } from '../../api/types.ts';
import { EsiaStatementConfirmation } from './EsiaStatementConfirmation.tsx';
import { ScanUpload } from './ScanUpload.tsx';
import { SmsStatementConfirmation } from './SmsStatementConfirmation.tsx';

type Method = 'sms' | 'esia' | 'scan';

export interface ReleaseStatementStepProps {
  issue: KonturIssue;
  employee: Employee | null;
  waitingForEsia: boolean;
  /** When the newest SMS code was sent, if still unused. */
  codeSentAt?: string;
  onChanged(): void;
}

/** The release statement: read it (PDF), then sign by SMS code, through Госуслуги, or attach its signed scan. */
export function ReleaseStatementStep({ issue, employee, waitingForEsia, codeSentAt, onChanged }: ReleaseStatementStepProps) {
  const [method, setMethod] = useState<Method>(waitingForEsia ? 'esia' : 'sms');
  return (
    <div className="statement-step">
      <p>
        <a href={apiUrl(releaseStatementTemplatePath(issue.id))} target="_blank" rel="noreferrer">
          Открыть заявление на выпуск (PDF)
        </a>
        <span className="muted"> — заявитель проверяет в нём свои данные.</span>
      </p>
      <fieldset className="method-choice">
        <legend className="form-field__label">Как заявитель подпишет заявление</legend>
        <RadioGroup<Method> name="statement-method" value={method} onValueChange={setMethod}>
          <span className="method-choice__options">
            <Radio value="sms">Код из СМС</Radio>
            <Radio value="esia">Через Госуслуги</Radio>
            <Radio value="scan">Скан подписанного заявления</Radio>
          </span>
        </RadioGroup>
      </fieldset>
      <div className="method-panel">
        {method === 'sms' && <SmsStatementConfirmation issue={issue} codeSentAt={codeSentAt} onSigned={onChanged} />}
        {method === 'esia' && <EsiaStatementConfirmation issue={issue} employee={employee} waiting={waitingForEsia} onChanged={onChanged} />}
        {method === 'scan' && (
          <ScanUpload
            issueId={issue.id}
            documentType="releaseStatement"
            title="Распечатайте заявление, подпишите его и приложите скан"
            sent={[]}
            sentPages={issue.documents.find((document) => document.type === 'releaseStatement')?.pages.length ?? 0}
            onSent={onChanged}
          />
        )}
      </div>
    </div>
  );
}
