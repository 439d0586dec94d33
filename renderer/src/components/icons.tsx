// Inline SVG icons (no icon font, no remote assets: the CSP allows neither). 16×16 strokes in
// currentColor, so they follow the text color of whatever they sit in.
import type { ReactNode, SVGProps } from 'react';

type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };

function icon(paths: ReactNode) {
  return function Icon({ size = 16, ...rest }: IconProps) {
    return (
      <svg width={size} height={size} viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...rest}>
        {paths}
      </svg>
    );
  };
}

export const SearchIcon = icon(<><circle cx="7" cy="7" r="4.5" /><path d="m10.5 10.5 3.5 3.5" /></>);
export const SunIcon = icon(<><circle cx="8" cy="8" r="3" /><path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" /></>);
export const MoonIcon = icon(<path d="M13.5 9.5A5.5 5.5 0 0 1 6.5 2.5a5.5 5.5 0 1 0 7 7Z" />);
export const StreamIcon = icon(<path d="M1.5 6c1.6-2 3.2-2 4.8 0s3.2 2 4.8 0 2.4-1.3 3.4-.7M1.5 10.5c1.6-2 3.2-2 4.8 0s3.2 2 4.8 0 2.4-1.3 3.4-.7" />);
export const BatchIcon = icon(<><ellipse cx="8" cy="3.8" rx="5.5" ry="2" /><path d="M2.5 3.8v8.4c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2V3.8M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2" /></>);
export const RestIcon = icon(<path d="M5.5 3C4 3 4 4 4 5.5S3.5 8 2.5 8c1 0 1.5 1 1.5 2.5S4 13 5.5 13M10.5 3C12 3 12 4 12 5.5s.5 2.5 1.5 2.5c-1 0-1.5 1-1.5 2.5S12 13 10.5 13" />);
export const ErrorIcon = icon(<><circle cx="8" cy="8" r="6.25" /><path d="m5.75 5.75 4.5 4.5m0-4.5-4.5 4.5" /></>);
export const WarningIcon = icon(<><path d="M7.1 2.3a1 1 0 0 1 1.8 0l5.6 10.2a1 1 0 0 1-.9 1.5H2.4a1 1 0 0 1-.9-1.5Z" /><path d="M8 6v3.2M8 11.5v.01" /></>);
export const InfoIcon = icon(<><circle cx="8" cy="8" r="6.25" /><path d="M8 7.2v4M8 4.8v.01" /></>);
export const CheckIcon = icon(<path d="m3 8.5 3.2 3L13 4.5" />);
export const CopyIcon = icon(<><rect x="5.5" y="5.5" width="8" height="8" rx="1.5" /><path d="M10.5 5.5V3.5a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h2" /></>);
export const ChevronRightIcon = icon(<path d="m6 3.5 4.5 4.5L6 12.5" />);
export const ArrowLeftIcon = icon(<path d="M13 8H3m4-4.5L2.5 8 7 12.5" />);
export const KeyboardIcon = icon(<><rect x="1.5" y="3.5" width="13" height="9" rx="1.5" /><path d="M4 6.5h.01M6.5 6.5h.01M9 6.5h.01M11.5 6.5h.01M5 9.5h6" /></>);
export const CloseIcon = icon(<path d="m4 4 8 8m0-8-8 8" />);
export const CatalogIcon = icon(<><rect x="2" y="2" width="5" height="5" rx="1" /><rect x="9" y="2" width="5" height="5" rx="1" /><rect x="2" y="9" width="5" height="5" rx="1" /><rect x="9" y="9" width="5" height="5" rx="1" /></>);
export const LintIcon = icon(<><path d="M8 1.8 13.5 4v4c0 3-2.4 5.3-5.5 6.2C4.9 13.3 2.5 11 2.5 8V4Z" /><path d="m5.6 8 1.7 1.7 3.2-3.4" /></>);
export const FilterIcon = icon(<path d="M2 3.5h12L9.5 9v4l-3 1.5V9Z" />);
export const DisconnectedIcon = icon(<><path d="M6 10 4.5 11.5a2.1 2.1 0 0 1-3-3L3 7M10 6l1.5-1.5a2.1 2.1 0 0 1 3 3L13 9M5.5 5.5l-2-2M10.5 10.5l2 2" /></>);
export const EmptyIcon = icon(<><rect x="2" y="3" width="12" height="10" rx="1.5" /><path d="M2 9h3.5l1 1.5h3l1-1.5H14" /></>);
export const SqlIcon = icon(<><rect x="1.5" y="2.5" width="13" height="11" rx="1.5" /><path d="m4.5 6.5 2 1.5-2 1.5M8.5 10.5h3" /></>);
export const PinIcon = icon(<path d="M9.5 1.8 14.2 6.5l-1.6.5-2.6 2.6-.3 3-1.6-1.6L5 14.1M3.6 8.9 5.2 10.5m-3.3-3.3 3-.3L7.5 4.3 8 2.7" />);
export const DownloadIcon = icon(<path d="M8 2v8m-3.5-3.5L8 10l3.5-3.5M2.5 12v1.5h11V12" />);
