import { useMemo } from 'preact/hooks';
import { qrDrawing } from '../lib/qr-matrix.ts';
import './qr-code.css';

/**
 * Text drawn as a QR code in SVG (no canvas). Always dark on white whatever the theme: cameras
 * read dark-on-light codes most reliably. `label` is the accessible name; the caller keeps the
 * text itself on the page for people who cannot scan.
 */
export function QrCode(props: { value: string; label: string; id?: string }) {
  const drawing = useMemo(() => qrDrawing(props.value), [props.value]);
  return (
    <svg
      id={props.id}
      class="qr-code"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${drawing.size} ${drawing.size}`}
      shape-rendering="crispEdges"
    >
      <rect width={drawing.size} height={drawing.size} fill="#ffffff" />
      <path d={drawing.path} fill="#000000" />
    </svg>
  );
}
