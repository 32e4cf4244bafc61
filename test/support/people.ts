// Valid Russian identifiers for test data, computed with the same rules the validators check.

function innDigit(digits: number[], weights: number[]): number {
  return (weights.reduce((sum, w, i) => sum + w * digits[i], 0) % 11) % 10;
}

/** A valid 12-digit personal INN derived from a number. */
export function personInn(seed: number): string {
  const digits = String(770000000 + seed).padStart(10, '0').slice(0, 10).split('').map(Number);
  digits.push(innDigit(digits, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  digits.push(innDigit(digits, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]));
  return digits.join('');
}

/** A valid SNILS (NNN-NNN-NNN NN) derived from a number. */
export function snils(seed: number): string {
  const number = String(100_000_000 + seed).slice(0, 9);
  const sum = number.split('').reduce((s, d, i) => s + Number(d) * (9 - i), 0);
  let control = sum % 101;
  if (control === 100) control = 0;
  return `${number.slice(0, 3)}-${number.slice(3, 6)}-${number.slice(6, 9)} ${String(control).padStart(2, '0')}`;
}

export function mobilePhone(seed: number): string {
  return `+79${String(1_000_000_000 + seed).slice(1)}`;
}
