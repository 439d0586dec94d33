// What the product is for, in its owner's words: the part a consumer reads before anything else.
import type { Product } from '../../../../shared/model/product';
import { Section } from '../../components/Section';

export function AboutPanel({ product }: { product: Product }) {
  // The ODPS purpose often repeats the description; say it once.
  const purpose = product.purpose && product.purpose !== product.description ? product.purpose : undefined;
  const notes: Array<[string, string | undefined]> = [
    ['Purpose', purpose],
    ['Usage', product.usage],
    ['Limitations', product.limitations],
  ];
  return (
    <Section title="About">
      <p className="lead">{product.description}</p>
      <dl className="notes">
        {notes.map(([label, text]) =>
          text ? (
            <div key={label} className={`note note-${label.toLowerCase()}`}>
              <dt>{label}</dt>
              <dd>{text}</dd>
            </div>
          ) : null,
        )}
      </dl>
    </Section>
  );
}
