// One data product, everything a consumer needs before reading it: what it is and promises,
// who owns it, where each mode lives, its schema, its lineage and the snapshots on this machine.
import { useCall } from '../../app/backend';
import { useDocumentTitle } from '../../app/document-title';
import { useKeys } from '../../app/keyboard';
import { backToCatalog } from '../../app/router';
import { ArrowLeftIcon } from '../../components/icons';
import { Loaded, Skeleton, SkeletonLines } from '../../components/states';
import { AboutPanel } from './AboutPanel';
import { LineagePanel } from './LineagePanel';
import { OwnerPanel } from './OwnerPanel';
import { PortsTable } from './PortsTable';
import { ProductHeader } from './ProductHeader';
import { RelationPanel } from './RelationPanel';
import { SchemaTable } from './SchemaTable';
import { SlaTable } from './SlaTable';
import { SnapshotsPanel } from './SnapshotsPanel';
import { SourcesPanel } from './SourcesPanel';

export function ProductPage({ id }: { id: string }) {
  const product = useCall('catalog.get', { id });
  useDocumentTitle(product.data?.name ?? id);
  useKeys({ Escape: backToCatalog, Backspace: backToCatalog });
  return (
    <main className="page product-page">
      <Loaded
        call={product}
        what={`product “${id}”`}
        skeleton={<ProductSkeleton />}
        errorActions={
          <button type="button" className="button primary" onClick={backToCatalog}>
            <ArrowLeftIcon size={14} /> Back to the catalog
          </button>
        }
      >
        {(p) => (
          <>
            <ProductHeader product={p} />
            <div className="product-grid">
              <div className="product-main">
                <AboutPanel product={p} />
                <LineagePanel id={p.id} />
                <PortsTable ports={p.ports} />
                {p.relation && <RelationPanel relation={p.relation} />}
              </div>
              <div className="product-aside">
                <OwnerPanel owner={p.owner} />
                <SlaTable sla={p.sla} />
                <SourcesPanel product={p} />
              </div>
            </div>
            {/* Full width: schemas are the widest thing a consumer reads here. */}
            <SchemaTable schema={p.schema} />
            {/* Full width too: the day table, the schema check and the column statistics need it. */}
            <SnapshotsPanel id={p.id} />
          </>
        )}
      </Loaded>
    </main>
  );
}

function ProductSkeleton() {
  return (
    <div className="product-skeleton">
      <Skeleton width={220} height={22} />
      <Skeleton width={140} />
      <div className="product-grid">
        <div className="product-main">
          <SkeletonLines lines={4} />
        </div>
        <div className="product-aside">
          <SkeletonLines lines={3} />
        </div>
      </div>
    </div>
  );
}
