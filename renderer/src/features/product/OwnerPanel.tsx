// Who answers for the product, and where to ask.
import type { Owner } from '../../../../shared/model/product';
import { Section } from '../../components/Section';

export function OwnerPanel({ owner }: { owner: Owner }) {
  return (
    <Section title="Owner">
      <div className="owner-team">
        <span className="avatar" aria-hidden="true">
          {owner.name.slice(0, 2).toUpperCase()}
        </span>
        <div>
          <div className="owner-name">{owner.name}</div>
          {owner.email && (
            <a className="muted" href={`mailto:${owner.email}`}>
              {owner.email}
            </a>
          )}
        </div>
      </div>
      {owner.members.length > 0 && (
        <ul className="plain-list members">
          {owner.members.map((m) => (
            <li key={`${m.name}-${m.role ?? ''}`}>
              <span>{m.name}</span>
              {m.role && <span className="muted">{m.role}</span>}
            </li>
          ))}
        </ul>
      )}
      {owner.support.length > 0 && (
        <>
          <h3 className="subheading">Support</h3>
          <ul className="plain-list">
            {owner.support.map((s) => (
              <li key={s.channel}>
                {s.url ? (
                  <a href={s.url} target="_blank" rel="noreferrer" title={s.url}>
                    {s.channel}
                  </a>
                ) : (
                  <span>{s.channel}</span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}
