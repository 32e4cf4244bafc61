import { useEffect, useState } from 'react';

/** A thumbnail of a picked image; a PDF shows as a labelled icon that opens it. */
export function ScanPreview({ file }: { file: File }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  if (!url) return <span className="scan-thumb" />;
  if (file.type === 'application/pdf') {
    return (
      <a className="scan-thumb scan-thumb_pdf" href={url} target="_blank" rel="noreferrer" aria-label={`Открыть ${file.name}`}>
        PDF
      </a>
    );
  }
  return <img className="scan-thumb" src={url} alt={`Предпросмотр: ${file.name}`} />;
}
