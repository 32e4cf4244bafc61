import { FaultSwitchForm } from './FaultSwitchForm.tsx';

/** Make the sandbox slow or failing, to see how the bridge and its users cope. */
export function FaultSwitches() {
  return (
    <section className="section" aria-labelledby="faults-title">
      <h2 id="faults-title" className="section__title">
        Сбои
      </h2>
      <p className="muted">Задержка и доля ошибок в ответах песочницы. Сбрасываются при перезапуске сервера.</p>
      <div className="fault-forms">
        <FaultSwitchForm target="kcr" title="Выпуск сертификатов (KCR)" />
        <FaultSwitchForm target="cloud" title="Облачная подпись" />
      </div>
    </section>
  );
}
