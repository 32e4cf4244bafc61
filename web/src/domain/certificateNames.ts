/** The owner's name from an X.509 subject such as "CN=Иванов Иван Иванович, O=…". */
export function subjectCommonName(subject: string): string {
  const match = /(?:^|[,;/+]\s*)CN=((?:\\.|[^,;+])+)/i.exec(subject);
  return match ? match[1].replace(/\\(.)/g, '$1').trim() : subject;
}
