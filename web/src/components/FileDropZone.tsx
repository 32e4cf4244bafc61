import { useId, useRef, useState, type DragEvent } from 'react';
import { formatFileSize } from '../format/fileSize.ts';

export interface FileDropZoneProps {
  /** Id of the file input (labels and tests find it). */
  id: string;
  label: string;
  /** Accepted MIME types; empty: any file. */
  accept?: readonly string[];
  /** Human name of the accepted types, for the hint and the refusal. */
  acceptName?: string;
  maxBytes?: number;
  multiple?: boolean;
  disabled?: boolean;
  onFiles(files: File[]): void;
}

/** MIME type of a file, guessed from its extension when the browser does not say. */
function typeOf(file: File): string {
  if (file.type) return file.type;
  const extension = file.name.split('.').pop()?.toLowerCase();
  const byExtension: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', pdf: 'application/pdf' };
  return (extension && byExtension[extension]) || '';
}

/**
 * Drop files here or pick them with the keyboard (the zone is the file input's label). Files of
 * the wrong type or too large are refused with the reason and never reach `onFiles`.
 */
export function FileDropZone({ id, label, accept = [], acceptName, maxBytes, multiple, disabled, onFiles }: FileDropZoneProps) {
  const [dragging, setDragging] = useState(false);
  const [refusals, setRefusals] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();

  const take = (list: FileList | null) => {
    const files = [...(list ?? [])];
    const accepted: File[] = [];
    const refused: string[] = [];
    for (const file of multiple ? files : files.slice(0, 1)) {
      if (accept.length > 0 && !accept.includes(typeOf(file))) refused.push(`«${file.name}»: нужен файл ${acceptName ?? accept.join(', ')}`);
      else if (maxBytes !== undefined && file.size > maxBytes) refused.push(`«${file.name}»: файл больше ${formatFileSize(maxBytes)}`);
      else if (file.size === 0) refused.push(`«${file.name}»: файл пуст`);
      else accepted.push(file);
    }
    setRefusals(refused);
    if (accepted.length > 0) onFiles(accepted);
    if (input.current) input.current.value = '';
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (!disabled) take(event.dataTransfer.files);
  };

  return (
    <div className="drop-zone-wrapper">
      <label
        htmlFor={id}
        className={['drop-zone', dragging && 'drop-zone_active', disabled && 'drop-zone_disabled'].filter(Boolean).join(' ')}
        onDragOver={(event) => {
          event.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <span className="drop-zone__title">{label}</span>
        <span className="drop-zone__hint" id={hintId}>
          Перетащите {multiple ? 'файлы' : 'файл'} сюда или <span className="drop-zone__link">выберите на компьютере</span>
          {(acceptName || maxBytes) && (
            <>
              <br />
              {[acceptName, maxBytes !== undefined && `до ${formatFileSize(maxBytes)}`].filter(Boolean).join(', ')}
            </>
          )}
        </span>
      </label>
      <input
        ref={input}
        id={id}
        className="drop-zone__input"
        type="file"
        accept={accept.join(',') || undefined}
        multiple={multiple}
        disabled={disabled}
        aria-describedby={hintId}
        onChange={(event) => take(event.target.files)}
      />
      {refusals.length > 0 && (
        <ul className="drop-zone__refusals" role="alert">
          {refusals.map((refusal) => (
            <li key={refusal}>{refusal}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
