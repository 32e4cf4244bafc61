import type { StoredDocument } from '../../api/types.ts';
import { isPdfDocument } from '../../domain/documentTypes.ts';
import { SignatureCard } from './SignatureCard.tsx';

export function SignatureList({ document }: { document: StoredDocument }) {
  return (
    <section className="section" aria-labelledby="signatures-title">
      <h2 id="signatures-title" className="section__title">
        Подписи
      </h2>
      {document.signatures.length === 0 && <p className="muted">Документ ещё не подписан.</p>}
      <ul className="signatures">
        {document.signatures.map((signature) => (
          <li key={signature.id}>
            <SignatureCard documentId={document.id} signature={signature} stampable={isPdfDocument(document)} />
          </li>
        ))}
      </ul>
    </section>
  );
}
