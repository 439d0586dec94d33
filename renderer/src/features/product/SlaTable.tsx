// The service levels the contract declares (latency, frequency, retention...).
import type { SlaEntry } from '../../../../shared/model/product';
import { Section } from '../../components/Section';

// ODCS units as a person reads them.
const UNIT: Record<string, [one: string, many: string]> = {
  s: ['s', 's'],
  ms: ['ms', 'ms'],
  m: ['min', 'min'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  y: ['year', 'years'],
  percent: ['%', '%'],
};

function formatValue({ value, unit }: SlaEntry): string {
  if (!unit) return String(value);
  const names = UNIT[unit];
  if (!names) return `${value} ${unit}`;
  return `${value} ${value === 1 ? names[0] : names[1]}`;
}

export function SlaTable({ sla }: { sla: readonly SlaEntry[] }) {
  return (
    <Section title="Service levels" count={sla.length}>
      {sla.length === 0 ? (
        <p className="muted">The contract declares no service levels.</p>
      ) : (
        <table className="table compact">
          <tbody>
            {sla.map((e, i) => (
              <tr key={`${e.property}-${i}`}>
                <th scope="row">{e.property}</th>
                <td className="num">{formatValue(e)}</td>
                <td className="muted mono small">{e.element}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
