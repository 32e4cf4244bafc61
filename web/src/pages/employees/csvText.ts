/**
 * The text of a CSV file. Excel in Russian locales saves CSV in Windows-1251, so a file
 * that is not valid UTF-8 is read as Windows-1251.
 */
export async function csvText(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1251').decode(bytes);
  }
}
