/** +79001234567 → +7 900 123-45-67 */
export function formatPhone(phone: string): string {
  const match = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return match ? `+7 ${match[1]} ${match[2]}-${match[3]}-${match[4]}` : phone;
}

/** The phone as shown to someone who must not learn it, the same everywhere: +7 *** ***-45-67. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length < 4 ? '+7 *** ***-**-**' : `+7 *** ***-${digits.slice(-4, -2)}-${digits.slice(-2)}`;
}
