// What an opened table holds (`sql.attachedFiles`): its Parquet files with size, rows, row groups
// and writer, the files that cannot be read, and per-column statistics from the footers — the
// snapshot browser's day view, for files someone handed over.
import { useCall } from '../../app/backend';
import { CloseIcon } from '../../components/icons';
import { Modal } from '../../components/Modal';
import { Loaded, SkeletonLines } from '../../components/states';
import { FileSetBody } from '../product/SnapshotDayDetail';

export function OpenedFilesDialog({ name, onClose }: { name: string | null; onClose(): void }) {
  return (
    <Modal open={name !== null} onClose={onClose} className="attach-dialog" labelledBy="opened-files-title" testId="opened-files-dialog">
      {name !== null && (
        <div className="attach-card opened-files-card">
          <header>
            <h2 id="opened-files-title">
              Files of <span className="mono">{name}</span>
            </h2>
            <button type="button" className="icon-button" onClick={onClose} aria-label="Close" autoFocus>
              <CloseIcon />
            </button>
          </header>
          <OpenedFiles name={name} />
        </div>
      )}
    </Modal>
  );
}

function OpenedFiles({ name }: { name: string }) {
  const call = useCall('sql.attachedFiles', { name });
  return (
    <div className="opened-files" data-testid="opened-files">
      <Loaded call={call} what={`the files of ${name}`} skeleton={<SkeletonLines lines={5} />}>
        {(detail) => <FileSetBody detail={detail} title={detail.path} contract={false} />}
      </Loaded>
    </div>
  );
}
