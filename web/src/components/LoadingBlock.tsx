import { Loader } from '@skbkontur/react-ui';

export function LoadingBlock({ caption = 'Загрузка…' }: { caption?: string }) {
  return (
    <div className="loading-block">
      <Loader active caption={caption} />
    </div>
  );
}
