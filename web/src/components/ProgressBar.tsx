/** A labelled progress bar (0…1); `value` undefined shows an indeterminate one. */
export function ProgressBar({ value, label }: { value?: number; label: string }) {
  const percent = value === undefined ? undefined : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div className="progress">
      <div
        className={percent === undefined ? 'progress__track progress__track_indeterminate' : 'progress__track'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress__bar" style={percent === undefined ? undefined : { width: `${percent}%` }} />
      </div>
      <div className="progress__caption">
        {label}
        {percent !== undefined && `: ${percent}%`}
      </div>
    </div>
  );
}
