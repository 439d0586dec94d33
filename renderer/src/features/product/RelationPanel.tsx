// How the stream and the batch of one product relate: the contract's promise a consumer relies
// on to switch between "tail the topic" and "read the snapshot" without surprises.
import type { StreamRelation } from '../../../../shared/model/product';
import { hrefs } from '../../app/router';
import { Section } from '../../components/Section';

const MEANING: Record<StreamRelation['kind'], string> = {
  fact: 'Each event is a new, immutable fact. The snapshot of a day holds that day’s events.',
  state: 'Each event is the latest state of its key. The snapshot holds the last state of every key.',
  aggregate: 'The snapshot aggregates the events of another product.',
};

export function RelationPanel({ relation }: { relation: StreamRelation }) {
  return (
    <Section title="Stream ↔ batch">
      <div className="relation-kind">
        <span className={`badge relation relation-${relation.kind}`}>{relation.kind}</span>
        <span>{MEANING[relation.kind]}</span>
      </div>
      <dl className="kv">
        {relation.keyField && (
          <div>
            <dt>Key</dt>
            <dd>
              <code>{relation.keyField}</code>
            </dd>
          </div>
        )}
        {relation.eventTimeField && (
          <div>
            <dt>Event time</dt>
            <dd>
              <code>{relation.eventTimeField}</code>
            </dd>
          </div>
        )}
        {relation.aggregateOf && (
          <div>
            <dt>Aggregate of</dt>
            <dd>
              <a href={hrefs.product(relation.aggregateOf)}>{relation.aggregateOf}</a>
            </dd>
          </div>
        )}
      </dl>
      {relation.aggregateSql && <pre className="code-block">{relation.aggregateSql}</pre>}
    </Section>
  );
}
