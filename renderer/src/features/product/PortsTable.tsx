// The product's ports: each mode's address as the contract declares it, and how this workspace
// actually reaches it ("via": a capture file, a local folder, a broker).
import type { Port } from '../../../../shared/model/product';
import { ModeChip } from '../../components/badges';
import { CopyButton } from '../../components/CopyButton';
import { Section } from '../../components/Section';

export function PortsTable({ ports }: { ports: readonly Port[] }) {
  return (
    <Section title="Ports" count={ports.length}>
      {ports.length === 0 ? (
        <p className="muted">No output port with a contract server; nothing to read yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th>Mode</th>
                <th>Name</th>
                <th>Address</th>
                <th>Format</th>
                <th>Layout</th>
                <th>Via</th>
              </tr>
            </thead>
            <tbody>
              {ports.map((p) => (
                <tr key={`${p.mode}-${p.name}`}>
                  <td>
                    <ModeChip mode={p.mode} />
                  </td>
                  <td>
                    <div>{p.name}</div>
                    {p.serverType && <div className="muted small">{p.serverType}</div>}
                  </td>
                  <td>
                    <div className="address">
                      <code>{p.address}</code>
                      <CopyButton value={p.address} label="Copy address" />
                    </div>
                  </td>
                  <td>{p.format ?? <span className="faint">—</span>}</td>
                  <td className="mono small nowrap">{p.layout ?? <span className="faint">—</span>}</td>
                  <td className="small via">{p.via ?? <span className="faint">not mapped</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
