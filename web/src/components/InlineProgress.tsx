import { Spinner } from '@skbkontur/react-ui';

/** A small spinner with a caption, for waiting inside a block of text (not over it). */
export function InlineProgress({ caption }: { caption: string }) {
  return (
    <p className="inline-progress" role="status">
      <Spinner type="mini" caption={caption} />
    </p>
  );
}
