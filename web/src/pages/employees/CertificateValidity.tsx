/** Whether a certificate can be used today. */
export function CertificateValidity({ validFrom, validTo }: { validFrom: string; validTo: string }) {
  const now = Date.now();
  const [label, tone] =
    now < Date.parse(validFrom) ? ['Ещё не действует', 'warning'] : now > Date.parse(validTo) ? ['Истёк', 'error'] : ['Действителен', 'success'];
  return <span className={`badge badge_${tone}`}>{label}</span>;
}
