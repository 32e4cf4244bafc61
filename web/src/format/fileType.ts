// A file's type as people name it ("PDF", "Документ Word"), not as a MIME type.
const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/msword': 'Документ Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Документ Word',
  'application/vnd.ms-excel': 'Таблица Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Таблица Excel',
  'application/vnd.oasis.opendocument.text': 'Документ OpenDocument',
  'application/vnd.oasis.opendocument.spreadsheet': 'Таблица OpenDocument',
  'application/rtf': 'Документ RTF',
  'application/xml': 'XML',
  'text/xml': 'XML',
  'application/json': 'JSON',
  'application/zip': 'Архив ZIP',
  'application/x-7z-compressed': 'Архив 7z',
  'application/pkcs7-signature': 'Электронная подпись',
  'application/pkix-cert': 'Сертификат',
  'application/x-x509-ca-cert': 'Сертификат',
  'text/plain': 'Текст',
  'text/csv': 'Таблица CSV',
  'text/html': 'Страница HTML',
  'image/jpeg': 'Изображение JPEG',
  'image/png': 'Изображение PNG',
  'image/gif': 'Изображение GIF',
  'image/tiff': 'Изображение TIFF',
  'image/bmp': 'Изображение BMP',
};

const EXTENSION_NAMES: Record<string, string> = {
  pdf: 'PDF',
  doc: 'Документ Word',
  docx: 'Документ Word',
  xls: 'Таблица Excel',
  xlsx: 'Таблица Excel',
  odt: 'Документ OpenDocument',
  ods: 'Таблица OpenDocument',
  rtf: 'Документ RTF',
  txt: 'Текст',
  csv: 'Таблица CSV',
  xml: 'XML',
  zip: 'Архив ZIP',
  jpg: 'Изображение JPEG',
  jpeg: 'Изображение JPEG',
  png: 'Изображение PNG',
  sig: 'Электронная подпись',
  p7s: 'Электронная подпись',
  cer: 'Сертификат',
};

/** The type's name; for an unnamed type (application/octet-stream) the file name's extension decides. */
export function fileTypeName(contentType: string, fileName = ''): string {
  const known = TYPE_NAMES[contentType.split(';')[0].trim().toLowerCase()];
  if (known) return known;
  const extension = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1]?.toLowerCase();
  if (extension && EXTENSION_NAMES[extension]) return EXTENSION_NAMES[extension];
  return extension ? `Файл ${extension.toUpperCase()}` : 'Файл';
}
