const MONTHS = ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'];
const WIDTH = 720;
const HEIGHT = 180;
const AXIS = 24;
const TOP = 18;

/** Certificates ending in each of the next twelve months, as bars (plain SVG). */
export function ExpiryChart({ months }: { months: { month: string; count: number }[] }) {
  const max = Math.max(1, ...months.map((m) => m.count));
  const slot = WIDTH / Math.max(1, months.length);
  const barWidth = Math.min(40, slot * 0.6);
  const plot = HEIGHT - AXIS - TOP;
  const total = months.reduce((sum, m) => sum + m.count, 0);
  const label = (month: string) => {
    const [year, number] = month.split('-');
    return `${MONTHS[Number(number) - 1]} ${year.slice(2)}`;
  };
  return (
    <figure className="expiry-chart">
      <svg height={total === 0 ? 40 : undefined} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="expiry-chart-title" width="100%">
        <title id="expiry-chart-title">{`Окончание срока действия по месяцам: всего ${total}`}</title>
        <line x1={0} x2={WIDTH} y1={HEIGHT - AXIS} y2={HEIGHT - AXIS} stroke="#ccc" />
        {months.map((m, i) => {
          const height = (m.count / max) * plot;
          const x = i * slot + (slot - barWidth) / 2;
          const y = HEIGHT - AXIS - height;
          return (
            <g key={m.month} data-month={m.month} data-count={m.count}>
              <rect x={x} y={y} width={barWidth} height={height} rx={2} fill={i === 0 ? '#f0a300' : '#3072c4'}>
                <title>{`${label(m.month)}: ${m.count}`}</title>
              </rect>
              {m.count > 0 && (
                <text x={x + barWidth / 2} y={y - 4} textAnchor="middle" fontSize={12} fill="#333">
                  {m.count}
                </text>
              )}
              <text x={i * slot + slot / 2} y={HEIGHT - 6} textAnchor="middle" fontSize={12} fill="#666">
                {label(m.month)}
              </text>
            </g>
          );
        })}
      </svg>
      {total === 0 && <p className="muted">В ближайшие 12 месяцев ни один сертификат не истекает.</p>}
      <figcaption className="muted small">Сколько сертификатов истекает в каждом из ближайших 12 месяцев (отозванные и заменённые не считаются)</figcaption>
    </figure>
  );
}
